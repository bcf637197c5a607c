/** Edits (insert, delete, replace, swap two neighbours) from a to b: "stauts" is 1 from "status". */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** A mistyped name is at most this many edits from what was meant; further, a suggestion would be a guess. */
const MAX_EDITS = 2;

/**
 * The name `given` was probably meant to be: the only one it begins, else the nearest within
 * MAX_EDITS (and nearer than its own length, so that "x" suggests nothing); undefined when none.
 */
export function closest(given: string, names: readonly string[]): string | undefined {
  const word = given.toLowerCase();
  const begun = names.filter((n) => word.length >= 2 && n.startsWith(word));
  if (begun.length === 1) return begun[0];
  let best: { name: string; edits: number } | undefined;
  for (const name of names) {
    const edits = editDistance(word, name);
    if (edits <= MAX_EDITS && edits < word.length && (!best || edits < best.edits)) best = { name, edits };
  }
  return best?.name;
}
