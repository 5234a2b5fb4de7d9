/**
 * `kubestellar ui --open`: starts the system's browser on the page's URL where one
 * exists — `$BROWSER` when set, else `open` (macOS), `xdg-open` (Linux and other
 * Unixes) or `cmd /c start` (Windows) — without waiting for it. Resolves to a reason
 * when no browser could be started (the caller prints it; the server keeps running).
 * The URL, token included, is on that program's command line.
 *
 * @example
 * ```ts
 * const why = await openBrowser("http://127.0.0.1:8080/?token=…");
 * if (why) err(`could not open a browser: ${why}`);
 * ```
 *
 * @module
 */

/** The command that opens `url` on this system. */
export function browserCommand(
  url: string,
  os: typeof Deno.build.os = Deno.build.os,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): string[] {
  const browser = env("BROWSER");
  if (browser) return [...browser.split(":")[0].split(" ").filter(Boolean), url];
  if (os === "darwin") return ["open", url];
  if (os === "windows") return ["cmd", "/c", "start", "", url];
  return ["xdg-open", url];
}

/** Starts the browser; undefined when started, else why not. */
export function openBrowser(url: string): Promise<string | undefined> {
  const [cmd, ...args] = browserCommand(url);
  try {
    const child = new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.unref();
    child.status.catch(() => {});
    return Promise.resolve(undefined);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return Promise.resolve(`${cmd} is not installed`);
    return Promise.resolve(e instanceof Error ? e.message : String(e));
  }
}
