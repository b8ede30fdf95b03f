#!/usr/bin/env bash
# The project's test command (README, CI): makes sure the stack is up (installing what is missing),
# then type-checks, lints, runs the unit tests (no services) and the integration tests (real stack).
# Ends with one summary line "tests: N passed, N failed, N skipped".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

bash "$LOCAL_DIR/setup.sh" --no-demo

log "typecheck"
npx --no-install tsc -p tsconfig.json --noEmit
log "lint"
npx --no-install eslint --max-warnings=0 .

results="$STACK_DIR/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
for project in unit integration; do
  log "vitest project: $project"
  npx --no-install vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="$results/$project.json" || status=1
done

node -e '
const fs = require("node:fs");
let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(1)) {
  if (!fs.existsSync(file)) { failed += 1; continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  skipped += r.numPendingTests + r.numTodoTests;
}
if (passed + failed === 0) { console.log("tests: no test ran"); process.exit(1); }
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/integration.json" || status=1
exit $status
