#!/usr/bin/env bash
# The whole test suite from a fresh Debian machine: installs what is missing, then `npm test`
# (tsc --noEmit, ESLint, Prettier check, build, unit tests, end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
npm test
