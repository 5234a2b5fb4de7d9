/**
 * Three-way merge of text by lines, used to write an edited YAML document back while
 * keeping every untouched line of the original file byte for byte.
 *
 * The `yaml` package re-renders a whole document on `toString()`: comment spacing,
 * flow-collection padding and folded scalars may come out differently from the file
 * the user wrote. We render the document twice, before and after the edit, and apply
 * only the lines that changed between the two renderings to the original text (the
 * classic diff3 algorithm, with the edited side winning inside a conflicting chunk).
 *
 * @example
 * ```ts
 * const text = mergeLines(originalText, doc.toString(), editedDoc.toString());
 * ```
 *
 * @module
 */

/** Splits text into lines, each keeping its line terminator. */
function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/**
 * Longest common subsequence of two line arrays, as pairs of matching indices in
 * increasing order. Kubeconfig files are small, so the quadratic table is fine.
 */
function matchLines(a: string[], b: string[]): Array<[number, number]> {
  // Trim the common prefix and suffix first: edits are usually small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < start; i++) pairs.push([i, i]);
  const n = endA - start;
  const m = endB - start;
  const table = new Array<Uint32Array>(n + 1);
  for (let i = 0; i <= n; i++) table[i] = new Uint32Array(m + 1);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = a[start + i] === b[start + j]
        ? table[i + 1][j + 1] + 1
        : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[start + i] === b[start + j]) {
      pairs.push([start + i, start + j]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  for (let k = 0; k < a.length - endA; k++) pairs.push([endA + k, endB + k]);
  return pairs;
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/**
 * Inside a chunk where the edit changed something: when the original and the base
 * rendering have the same number of lines there (only formatting differs, e.g. the
 * indentation of a nested list), lines the edit kept come from the original by
 * position and only added or changed lines come from the edited rendering.
 */
function mergeChunk(bPart: string[], oPart: string[], ePart: string[]): string[] {
  if (bPart.length !== oPart.length) return ePart;
  const kept = new Map(matchLines(ePart, bPart));
  return ePart.map((line, i) => {
    const j = kept.get(i);
    return j === undefined ? line : oPart[j];
  });
}

/**
 * Applies the changes between `base` and `edited` to `original`, where `base` is a
 * re-rendering of `original`. Lines that did not change between `base` and `edited`
 * come from `original` unchanged.
 */
export function mergeLines(original: string, base: string, edited: string): string {
  if (base === edited) return original;
  if (original === base) return edited;
  const o = splitLines(original);
  const b = splitLines(base);
  const e = splitLines(edited);
  const toO = new Map(matchLines(b, o));
  const toE = new Map(matchLines(b, e));
  const result: string[] = [];
  let bi = 0;
  let oi = 0;
  let ei = 0;
  const flushChunk = (bEnd: number, oEnd: number, eEnd: number) => {
    const bPart = b.slice(bi, bEnd);
    const oPart = o.slice(oi, oEnd);
    const ePart = e.slice(ei, eEnd);
    if (sameLines(bPart, ePart)) result.push(...oPart);
    else result.push(...mergeChunk(bPart, oPart, ePart));
  };
  for (let k = 0; k < b.length; k++) {
    const oj = toO.get(k);
    const ej = toE.get(k);
    if (oj === undefined || ej === undefined || oj < oi || ej < ei) continue;
    // Base line k is stable in all three: close the chunk before it.
    flushChunk(k, oj, ej);
    result.push(o[oj]);
    bi = k + 1;
    oi = oj + 1;
    ei = ej + 1;
  }
  flushChunk(b.length, o.length, e.length);
  return result.join("");
}
