/**
 * The merged kubeconfig a command sees, with kubectl's loading and writing rules.
 *
 * Files come from `--kubeconfig`, else `$KUBECONFIG` (merged; the first file that
 * defines a name wins; missing files are skipped), else `~/.kube/config`. Edits go
 * back to the file that holds the entry; new entries go to kubectl's default file;
 * a new `current-context` goes to the default file too (clearing it clears the first
 * file that sets one), as in client-go.
 * Files are written atomically with mode 0600, untouched lines byte for byte.
 *
 * @example
 * ```ts
 * import { connectionFlags } from "../cli/kubectl_flags.ts";
 * import { loadKubeconfig } from "./kubeconfig.ts";
 * import { restClientFor } from "../kube/rest_client.ts";
 *
 * const kc = await loadKubeconfig(connectionFlags(scan.passThrough));
 * const client = restClientFor(await kc.restConfig());
 * try {
 *   const ns = await client.get({ version: "v1", resource: "namespaces", name: "default" });
 * } finally {
 *   client.close();
 * }
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { KubectlConnectionFlags } from "../cli/kubectl_flags.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { KubeconfigFile } from "./kubeconfig_file.ts";
import {
  type KubeconfigSelection,
  type KubeconfigSources,
  processKubeconfigSources,
  selectKubeconfigFiles,
} from "./kubeconfig_paths.ts";
import type { EntryKind, EntryValue, NamedEntry } from "./kubeconfig_types.ts";
import { resolveRestConfig } from "./rest_config_resolver.ts";

/** Options for `loadKubeconfig`. */
export interface LoadKubeconfigOptions {
  /** Overrides `$KUBECONFIG`/`$HOME` (tests); `explicit` is taken from the flags. */
  sources?: Omit<KubeconfigSources, "explicit">;
}

/**
 * Loads the kubeconfig that kubectl would use with these flags. An explicit
 * `--kubeconfig` file must exist; invalid files are `UserError`s.
 */
export async function loadKubeconfig(
  flags: KubectlConnectionFlags = {},
  options: LoadKubeconfigOptions = {},
): Promise<Kubeconfig> {
  const sources = options.sources
    ? { ...options.sources, explicit: flags.kubeconfig }
    : processKubeconfigSources(flags.kubeconfig);
  const selection = selectKubeconfigFiles(sources);
  const files: KubeconfigFile[] = [];
  for (const path of selection.files) {
    files.push(await KubeconfigFile.read(path, { allowMissing: !selection.explicit }));
  }
  return new Kubeconfig(files, selection, flags);
}

/** The merged view over one or more kubeconfig files, plus the command's flags. */
export class Kubeconfig {
  /** The loaded files, in precedence order. */
  readonly files: KubeconfigFile[];
  /** The kubectl flags given to the command. */
  readonly flags: KubectlConnectionFlags;
  readonly #selection: KubeconfigSelection;

  constructor(
    files: KubeconfigFile[],
    selection: KubeconfigSelection,
    flags: KubectlConnectionFlags = {},
  ) {
    this.files = files;
    this.#selection = selection;
    this.flags = flags;
  }

  /** Paths of the files, in precedence order (for messages). */
  get paths(): string[] {
    return this.files.map((f) => f.path);
  }

  /** The merged `current-context`: the first file's non-empty value, else "". */
  get currentContext(): string {
    return this.files.find((f) => f.currentContext !== "")?.currentContext ?? "";
  }

  /** The context a command uses: `--context`, else `current-context`. */
  get selectedContext(): string {
    return this.flags.context || this.currentContext;
  }

  /** The winning entry with this name, or undefined. */
  find<K extends EntryKind>(kind: K, name: string): NamedEntry<EntryValue[K]> | undefined {
    for (const file of this.files) {
      const value = file.entry(kind, name);
      if (value !== undefined) return { name, value, file: file.path };
    }
    return undefined;
  }

  /** All entries of one kind, merged (first definition of each name). */
  list<K extends EntryKind>(kind: K): NamedEntry<EntryValue[K]>[] {
    const seen = new Set<string>();
    const result: NamedEntry<EntryValue[K]>[] = [];
    for (const file of this.files) {
      for (const name of file.names(kind)) {
        if (seen.has(name)) continue;
        seen.add(name);
        result.push({ name, value: file.entry(kind, name)!, file: file.path });
      }
    }
    return result;
  }

  /** The named context, or a `UserError` naming the files searched. */
  requireContext(name: string): NamedEntry<EntryValue["contexts"]> {
    const found = this.find("contexts", name);
    if (!found) {
      throw new UserError(
        `context "${name}" does not exist in kubeconfig ${this.describeFiles()}: ` +
          "check --context or current-context",
      );
    }
    return found;
  }

  /** The files searched, for messages (`"a", "b" (no such file)`). */
  describeFiles(): string {
    return this.files.map((f) => `"${f.path}"${f.exists ? "" : " (no such file)"}`).join(", ");
  }

  #fileFor(kind: EntryKind, name: string): KubeconfigFile {
    const holder = this.files.find((f) => f.entry(kind, name) !== undefined);
    return holder ?? this.#defaultFile();
  }

  #defaultFile(): KubeconfigFile {
    const path = this.#selection.defaultFile;
    let file = this.files.find((f) => f.path === path);
    if (!file) {
      file = KubeconfigFile.empty(path);
      this.files.push(file);
    }
    return file;
  }

  /** Sets (creates or replaces) an entry in the file that holds it. */
  set<K extends EntryKind>(kind: K, name: string, value: EntryValue[K]): void {
    this.#fileFor(kind, name).setEntry(kind, name, value);
  }

  /**
   * Deletes the entry in effect from the file that holds it, as `kubectl config
   * delete-*` does (a definition in a later file then shows through); returns whether
   * one existed.
   */
  delete(kind: EntryKind, name: string): boolean {
    const holder = this.files.find((f) => f.entry(kind, name) !== undefined);
    return holder?.deleteEntry(kind, name) ?? false;
  }

  /**
   * Sets `current-context` by client-go's rule for which file receives it: the
   * `--kubeconfig` file; else a name goes to the default file, and clearing ("")
   * clears the first file that sets one. Nothing changes when the merged value is
   * already `name`.
   */
  setCurrentContext(name: string): void {
    if (this.currentContext === name) return;
    if (this.#selection.explicit) {
      this.files[0].setCurrentContext(name);
    } else if (name !== "") {
      this.#defaultFile().setCurrentContext(name);
    } else {
      this.files.find((f) => f.currentContext !== "")?.setCurrentContext("");
    }
  }

  /** Writes every edited file (atomically, mode 0600). */
  async save(): Promise<void> {
    for (const file of this.files) await file.write();
  }

  /** The effective connection of the selected context plus the flags. */
  restConfig(): Promise<RestConfig> {
    return resolveRestConfig(this);
  }
}
