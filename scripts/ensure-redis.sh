#!/usr/bin/env bash
# Starts a local Redis when none answers at REDIS_URL (default redis://127.0.0.1:6379).
# Only a local address is started; a remote Redis that does not answer is an error.
set -euo pipefail
url="${REDIS_URL:-redis://127.0.0.1:6379}"
if redis-cli -u "$url" ping >/dev/null 2>&1; then
  exit 0
fi
hostport="${url#*://}"
hostport="${hostport##*@}"
hostport="${hostport%%/*}"
host="${hostport%%:*}"
port="${hostport##*:}"
[[ "$port" == "$hostport" ]] && port=6379
case "$host" in
  127.0.0.1 | localhost | ::1) ;;
  *)
    echo "ensure-redis: no Redis answers at $url and it is not local; start it first" >&2
    exit 1
    ;;
esac
dir="${QSLAM_REDIS_DIR:-/tmp/qslam-redis-$port}"
mkdir -p "$dir"
echo "ensure-redis: starting redis-server on 127.0.0.1:$port (data in $dir)"
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" \
  --save "" --appendonly no --logfile "$dir/redis.log"
for _ in $(seq 1 50); do
  redis-cli -u "$url" ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "ensure-redis: redis-server did not answer at $url" >&2
exit 1
