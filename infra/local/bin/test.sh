#!/usr/bin/env bash
# `npm test`: the one test command. Setup, then lint, types, unit tier, int tier (real servers),
# stopping at the first failure. Under CI the test stack is brought down at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
step() { printf '\n[test] === %s ===\n' "$*"; }

step setup
bash infra/local/bin/setup.sh
step lint
npm run lint
step typecheck
npm run typecheck
step "unit tests"
npm run test:unit
if [[ "${CI:-}" == "true" ]]; then export ATRIUM_STACK_TEARDOWN=1; fi
step "integration tests (test stack${ATRIUM_STACK_TEARDOWN:+, torn down afterwards})"
npm run test:int
