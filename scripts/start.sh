#!/usr/bin/env bash
# One command from a fresh Debian machine to a running server: installs, builds, migrates the
# database under QSLAM_DATA_DIR (default ./data) and runs the API and one worker in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
npm run build
exec npm run serve
