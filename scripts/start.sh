#!/usr/bin/env bash
# One command from a fresh Debian machine to a running server: installs, builds, migrates the
# database under QSLAM_DATA_DIR (default ./data) and runs the API and one worker in the foreground.
# Once the API answers, `npm run serve` adds the `demo` genome when the server has none, so the
# pipeline runs offline at once (scripts/demo-genome.ts); QSLAM_DEMO_GENOME=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
npm run build
exec npm run serve
