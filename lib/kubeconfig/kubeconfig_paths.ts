/**
 * Which kubeconfig files a command reads and writes, by kubectl's rules.
 *
 * `--kubeconfig` names the only file; otherwise `$KUBECONFIG` is a colon-separated
 * list (duplicates and empty items dropped, missing files skipped when reading);
 * otherwise `~/.kube/config`.
 *
 * @example
 * ```ts
 * const sel = selectKubeconfigFiles({ explicit: undefined, env: "a.yaml:b.yaml", home: "/home/me" });
 * // sel.files = ["a.yaml", "b.yaml"], sel.defaultFile = first of them that exists, else "b.yaml"
 * ```
 *
 * @module
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where kubeconfig comes from. */
export interface KubeconfigSources {
  /** `--kubeconfig` value, if given. */
  explicit?: string;
  /** `$KUBECONFIG` value, if set. */
  env?: string;
  /** The home directory (for `~/.kube/config`). */
  home?: string;
}

/** The files to load, in precedence order, and where new entries go. */
export interface KubeconfigSelection {
  /** Files in precedence order (the first that defines a name wins). */
  files: string[];
  /** True when `--kubeconfig` chose the file. */
  explicit: boolean;
  /**
   * kubectl's "default filename": the file that receives new entries and, when no
   * file sets one yet, `current-context`.
   */
  defaultFile: string;
}

/** The process's sources: `$KUBECONFIG` and `$HOME`, plus the `--kubeconfig` value. */
export function processKubeconfigSources(explicit?: string): KubeconfigSources {
  return {
    explicit,
    env: Deno.env.get("KUBECONFIG"),
    home: Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE"),
  };
}

/** Applies kubectl's selection rules. */
export function selectKubeconfigFiles(sources: KubeconfigSources): KubeconfigSelection {
  if (sources.explicit) {
    return { files: [sources.explicit], explicit: true, defaultFile: sources.explicit };
  }
  const listed: string[] = [];
  for (const item of (sources.env ?? "").split(delimiter)) {
    if (item !== "" && !listed.includes(item)) listed.push(item);
  }
  if (listed.length > 0) {
    const existing = listed.find((f) => existsSync(f));
    const defaultFile = listed.length === 1 ? listed[0] : existing ?? listed[listed.length - 1];
    return { files: listed, explicit: false, defaultFile };
  }
  const home = join(sources.home ?? ".", ".kube", "config");
  return { files: [home], explicit: false, defaultFile: home };
}
