#!/usr/bin/env bash
# Installs the end-to-end prerequisites if needed and runs the VS Code e2e tests
# (test/extension/e2e.test.ts). Screenshots and logs land in artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/e2e-setup.sh
WASMSCOPE_E2E=1 node --import tsx --test --test-reporter=spec test/extension/e2e.test.ts
