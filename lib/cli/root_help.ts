/**
 * The help and version lines of the bare `kubestellar` command, rendered from the
 * command tree without loading the argument-parsing library, so that `kubestellar
 * --help` starts as fast as every other command's help.
 *
 * @module
 */

/** One listed command. */
export interface HelpEntry {
  name: string;
  summary: string;
  hidden?: boolean;
}

const WIDTH = 100;
const COLUMN = 28;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The full help text of the root command. */
export function rootHelp(description: string, entries: HelpEntry[]): string {
  const out = [
    "Usage: kubestellar [flags] command [flags]",
    "",
    description,
    "",
    "Options:",
    `  ${"--version".padEnd(COLUMN)}print the release version`,
    `  ${"-h, --help".padEnd(COLUMN)}display help for command`,
    "",
    "Commands:",
  ];
  for (const e of entries) {
    if (e.hidden) continue;
    const [first, ...rest] = wrap(e.summary, WIDTH - COLUMN - 2);
    out.push(`  ${e.name.padEnd(COLUMN)}${first ?? ""}`);
    for (const l of rest) out.push(`  ${"".padEnd(COLUMN)}${l}`);
  }
  out.push("", "Run 'kubestellar COMMAND --help' for a command's usage.");
  return out.join("\n");
}
