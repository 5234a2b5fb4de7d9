/**
 * A log file a long-running process appends its records to (one per hosted controller
 * under `kubestellar controller … --log-folder`). Each record is one synchronous append
 * of a whole line, so records of several writers never interleave within a line, and
 * nothing is lost when the process is killed right after logging.
 *
 * @example
 * ```ts
 * const file = openLogFile("/tmp/logs/mailbox-controller-log.txt");
 * const log = new Logger("mailbox-controller", { write: file.write });
 * log.info("starting");
 * file.close();
 * ```
 *
 * @module
 */

/** An open log file. */
export interface LogFile {
  /** Appends one line (a newline is added). */
  write: (line: string) => void;
  close(): void;
}

const encoder = new TextEncoder();

/** Opens `path` for appending, creating it if needed. */
export function openLogFile(path: string): LogFile {
  const file = Deno.openSync(path, { append: true, create: true });
  let open = true;
  return {
    write(line: string) {
      if (!open) return;
      const bytes = encoder.encode(line + "\n");
      for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
    },
    close() {
      if (!open) return;
      open = false;
      file.close();
    },
  };
}
