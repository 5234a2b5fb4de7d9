/**
 * A fake exec credential plugin for tests: a `/bin/sh` script that appends its
 * `KUBERNETES_EXEC_INFO` to a call log (one JSON line per call), and prints an
 * `ExecCredential` of the configured API version carrying the token in the file named by
 * its first argument, expiring `EXPIRY_SECONDS` from now (both from the kubeconfig's
 * `env`). Tests count calls, read what the plugin was told, and change the token.
 *
 * @example
 * ```ts
 * const plugin = await makeExecPlugin(dir);
 * await Deno.writeTextFile(plugin.tokenFile("root"), adminToken);
 * const user = plugin.user("root", { expirySeconds: 2 });
 * ... (await plugin.calls()).length ...
 * ```
 *
 * @module
 */
import { join } from "node:path";

const SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\n' "$KUBERNETES_EXEC_INFO" >> "$dir/calls.log"
if [ -n "$PLUGIN_FAIL" ]; then echo "plugin says no" >&2; exit 3; fi
exp=$(date -u -d "+\${EXPIRY_SECONDS:-3600} seconds" +%Y-%m-%dT%H:%M:%SZ)
token=$(cat "$1")
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\\n' \\
  "$API_VERSION" "$token" "$exp"
`;

/** A plugin script in a directory of its own. */
export interface ExecPlugin {
  /** The script's path. */
  command: string;
  /** The token file for `name` (write the token the plugin should print). */
  tokenFile(name: string): string;
  /** A kubeconfig `user` value running the plugin for `name`. */
  user(name: string, options?: ExecUserOptions): Record<string, unknown>;
  /** The `KUBERNETES_EXEC_INFO` of each call so far, parsed. */
  calls(): Promise<Record<string, unknown>[]>;
}

/** How the kubeconfig runs the plugin. */
export interface ExecUserOptions {
  /** Lifetime of each credential (default 3600 s). */
  expirySeconds?: number;
  apiVersion?: string;
  interactiveMode?: string;
  provideClusterInfo?: boolean;
}

/** Writes the plugin script into `dir` (made if needed). */
export async function makeExecPlugin(dir: string): Promise<ExecPlugin> {
  await Deno.mkdir(dir, { recursive: true });
  const command = join(dir, "fake-credential-plugin");
  await Deno.writeTextFile(command, SCRIPT, { mode: 0o755 });
  return {
    command,
    tokenFile: (name) => join(dir, `${name}.token`),
    user(name, options = {}) {
      const apiVersion = options.apiVersion ?? "client.authentication.k8s.io/v1";
      const exec: Record<string, unknown> = {
        apiVersion,
        command,
        args: [join(dir, `${name}.token`)],
        env: [
          { name: "API_VERSION", value: apiVersion },
          { name: "EXPIRY_SECONDS", value: String(options.expirySeconds ?? 3600) },
        ],
        interactiveMode: options.interactiveMode ?? "Never",
      };
      if (options.provideClusterInfo) exec.provideClusterInfo = true;
      return { exec };
    },
    async calls() {
      try {
        const text = await Deno.readTextFile(join(dir, "calls.log"));
        return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return [];
        throw e;
      }
    },
  };
}
