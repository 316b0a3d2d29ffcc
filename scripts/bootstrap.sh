#!/usr/bin/env bash
# Installs everything the qsLAM PCR Server needs on a fresh Debian machine (run as root):
# the bioinformatics tools and Redis from Debian's packages, the npm packages from the lockfile,
# and starts a local Redis when none answers at REDIS_URL. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(fastqc cutadapt fastp bwa samtools bedtools pigz redis-server redis-tools
  python3 make g++ ca-certificates fonts-dejavu-core time qpdf unzip)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "bootstrap: installing npm packages"
  npm ci --no-fund --no-audit
fi

./scripts/ensure-redis.sh
