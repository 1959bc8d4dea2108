/**
 * A Wireshark display filter that selects exactly the given frames.
 *
 * Written with `==`, `>=`, `<=`, `&&` and `||` only: the set syntax `frame.number in {…}` changed
 * its separator between Wireshark 3 (spaces) and 4 (commas), so neither form works everywhere.
 * Runs of three or more consecutive frames become one parenthesised range.
 */
export function frameDisplayFilter(frames: readonly number[]): string {
  const sorted = [...new Set(frames)].filter((f) => Number.isInteger(f) && f > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return 'frame.number == 0';
  const terms: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) {
      terms.push(`(frame.number >= ${sorted[i]} && frame.number <= ${sorted[j]})`);
    } else {
      for (let k = i; k <= j; k++) terms.push(`frame.number == ${sorted[k]}`);
    }
    i = j + 1;
  }
  return terms.join(' || ');
}
