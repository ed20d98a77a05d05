// Prints the plain closing line CI reads ("N passed, N failed") from vitest's JSON report.
import fs from 'node:fs';

const file = 'test-results/vitest-results.json';
if (!fs.existsSync(file)) {
  console.error(`${file} missing: did vitest run?`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(r.numFailedTests === 0 && r.numTotalTests > 0 ? 0 : 1);
