/**
 * Splits a text stream into lines as its chunks arrive, in time linear in the text.
 * Each chunk is searched for newlines once, and a line is joined once when it ends.
 * Appending every chunk to one string and searching that from its start copies the whole
 * unfinished line again for each chunk: a watch event of a few megabytes (a
 * SinglePlacementSlice naming 10,000 clusters) arriving in 16 KiB chunks took 175–262 ms
 * and hundreds of megabytes of short-lived strings instead of 12–20 ms.
 *
 * @example
 * ```ts
 * const lines = new LineSplitter();
 * lines.push('{"a":'); // []
 * lines.push('1}\n{"b"'); // ['{"a":1}']
 * lines.end(); // '{"b"'
 * ```
 *
 * @module
 */

/** Lines of a text that arrives in chunks; `\n` ends a line and is not part of it. */
export class LineSplitter {
  #pending: string[] = [];

  /** The lines that `chunk` ends, in order. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf("\n", start)) >= 0) {
      this.#pending.push(chunk.slice(start, nl));
      lines.push(this.#pending.length === 1 ? this.#pending[0] : this.#pending.join(""));
      this.#pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) this.#pending.push(start === 0 ? chunk : chunk.slice(start));
    return lines;
  }

  /** What is left after the last newline ("" when nothing), and starts over. */
  end(): string {
    const rest = this.#pending.join("");
    this.#pending = [];
    return rest;
  }
}
