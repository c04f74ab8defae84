// A tiny line diff (longest common subsequence) for policy documents: small inputs, no dependency.

export type DiffLine = { readonly op: 'same' | 'del' | 'add'; readonly text: string };

/** Above this many lines on either side the O(n·m) table is not worth it: callers show both sides. */
export const MAX_DIFF_LINES = 1500;

export function lineDiff(before: string, after: string): DiffLine[] | null {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) return null;
  // Trim the common head and tail first: most policy edits touch a few lines.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const n = midA.length;
  const m = midB.length;
  // lcs[i][j] = length of the LCS of midA[i..] and midB[j..], flattened.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        midA[i] === midB[j]
          ? lcs[(i + 1) * (m + 1) + j + 1] + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: 'same', text }));
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (midA[i] === midB[j]) {
      out.push({ op: 'same', text: midA[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
      out.push({ op: 'del', text: midA[i++] });
    } else {
      out.push({ op: 'add', text: midB[j++] });
    }
  }
  while (i < n) out.push({ op: 'del', text: midA[i++] });
  while (j < m) out.push({ op: 'add', text: midB[j++] });
  for (const text of a.slice(a.length - tail)) out.push({ op: 'same', text });
  return out;
}
