// Sums vitest JSON reports into the one closing line CI reads: "N passed, N failed", after the
// name, file and first message line of every failed test (CI keeps only the tail of the log),
// and of every test that passed only when run again (CI runs the server suites with --retry=1:
// such a test is flaky, named here to be fixed, and does not fail the run).
import fs from 'node:fs';
import path from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;
const failures = [];
const flaky = [];
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.error(`no report at ${file} (the test run did not finish)`);
    missing = true;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  for (const suite of r.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) {
      const retried = t.status === 'passed' && (t.failureMessages?.length ?? 0) > 0;
      if (t.status !== 'failed' && !retried) continue;
      const message = String(t.failureMessages?.[0] ?? '')
        .split('\n')[0]
        .slice(0, 300);
      (retried ? flaky : failures).push(
        `${path.basename(file)} · ${path.relative(process.cwd(), suite.name)} · ${t.fullName}\n    ${message}`,
      );
    }
  }
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
if (flaky.length > 0) console.log(`flaky (failed, then passed when run again):\n  ${flaky.join('\n  ')}`);
if (failures.length > 0) console.log(`failed:\n  ${failures.join('\n  ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || missing || passed === 0 ? 1 : 0);
