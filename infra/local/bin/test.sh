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
results=.state/test-results
mkdir -p "$results"
# Each tier also writes Vitest's JSON report, so the run can close on one plain count line.
tier() { npm run "test:$1" -- --reporter=default --reporter=json --outputFile.json="$results/$1.json"; }
step "unit tests"
tier unit
if [[ "${CI:-}" == "true" ]]; then export ATRIUM_STACK_TEARDOWN=1; fi
step "integration tests (test stack${ATRIUM_STACK_TEARDOWN:+, torn down afterwards})"
tier int
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const t of ["unit", "int"]) {
    const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${t}.json`, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed > 0 ? 1 : 0);
' "$results"
