/**
 * A node:test reporter that adds one summary of the skipped tests, by reason, after the usual
 * report: on a machine without some program the suites that need it skip, and this says which.
 * Plain JavaScript: node loads reporters before tsx is in place.
 * @param {AsyncIterable<{ type: string, data: { skip?: string | boolean } }>} source
 */
export default async function* skipSummary(source) {
  const reasons = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' || !event.data.skip) continue;
    const reason = typeof event.data.skip === 'string' ? event.data.skip : '(no reason given)';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  if (reasons.size === 0) return;
  const total = [...reasons.values()].reduce((a, b) => a + b, 0);
  yield `\nSkipped ${total} test(s), by reason:\n`;
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) yield `  ${String(n).padStart(3)} × ${reason}\n`;
}
