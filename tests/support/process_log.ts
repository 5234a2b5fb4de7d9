/**
 * A child process's output appended to a log file, with each line shown to a watcher (to
 * notice a "serving at" line, say).
 *
 * @module
 */

/** Appends the child's stdout and stderr to `logFile`; resolves when both streams end. */
export async function pumpToLog(
  child: Deno.ChildProcess,
  logFile: string,
  onLine: (line: string) => void = () => {},
): Promise<void> {
  const log = await Deno.open(logFile, { create: true, append: true });
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    let partial = "";
    for await (const chunk of stream) {
      await log.write(chunk);
      partial += decoder.decode(chunk, { stream: true });
      const lines = partial.split("\n");
      partial = lines.pop()!;
      for (const line of lines) onLine(line);
    }
  };
  try {
    await Promise.all([pump(child.stdout), pump(child.stderr)]);
  } catch {
    /* the process was killed mid-write */
  } finally {
    log.close();
  }
}
