#!/usr/bin/env bash
# The project's test command (README, CI): makes sure the stack is up (installing what is missing),
# then type-checks, lints, runs the unit tests (no services), the trainer's Python tests and the
# integration tests (real stack).
# Ends with one summary line "tests: N passed, N failed, N skipped".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

bash "$LOCAL_DIR/setup.sh" --no-demo --no-system

# The tests run their own processors and APIs on their own topics; a running system (npm run setup)
# would compete for the cores and the shared topics, so it pauses during the tests and resumes after.
system_was_running=0
for process in api streams-normalize streams-features retrain; do
  if running_pid "$process" >/dev/null; then system_was_running=1; fi
done
if (( system_was_running == 1 )); then
  log "pausing the running system for the tests (npm run status shows it again afterwards)"
  bash "$LOCAL_DIR/system.sh" down
  trap 'log "resuming the system"; bash "$LOCAL_DIR/system.sh" up --no-wait >/dev/null 2>&1 || log "resuming failed: npm run setup"' EXIT
fi

log "typecheck"
npx --no-install tsc -p tsconfig.json --noEmit
log "lint"
npx --no-install eslint --max-warnings=0 .

results="$STACK_DIR/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
log "vitest project: unit"
npx --no-install vitest run --project unit --reporter=default --reporter=json \
  --outputFile.json="$results/unit.json" || status=1

# The trainer's Python tests (jobs/retrain/python, in .stack/venv from setup.sh). pytest exits 5 when it
# collects nothing; that fails here like any other non-zero exit, and the summary below counts a JUnit
# file with no test as a failure too.
log "pytest: jobs/retrain/python"
"$STACK_DIR/venv/bin/python" -m pytest -q jobs/retrain/python --junitxml="$results/python.xml" || status=1

log "vitest project: integration"
npx --no-install vitest run --project integration --reporter=default --reporter=json \
  --outputFile.json="$results/integration.json" || status=1

node -e '
const fs = require("node:fs");
let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(1)) {
  if (!fs.existsSync(file)) { failed += 1; continue; }
  if (file.endsWith(".xml")) {
    // pytest JUnit XML: <testsuite ... errors= failures= skipped= tests=>
    let tests = 0, bad = 0, skip = 0;
    for (const [suite] of fs.readFileSync(file, "utf8").matchAll(/<testsuite\b[^>]*>/g)) {
      const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(suite) || [])[1] || 0);
      tests += attr("tests"); bad += attr("failures") + attr("errors"); skip += attr("skipped");
    }
    if (tests === 0) { failed += 1; continue; }
    passed += tests - bad - skip; failed += bad; skipped += skip;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  skipped += r.numPendingTests + r.numTodoTests;
}
if (passed + failed === 0) { console.log("tests: no test ran"); process.exit(1); }
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/python.xml" "$results/integration.json" || status=1
exit $status
