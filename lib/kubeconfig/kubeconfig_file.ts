/**
 * One kubeconfig file: its YAML document, reads of its named lists, and edits that
 * are written back without disturbing anything they do not touch.
 *
 * Edits go through the `yaml` package's Document API (so comments, quoting, field
 * order, extensions and unknown fields survive), and the result is merged line by line
 * into the original text (`mergeLines`), so untouched lines stay byte for byte.
 *
 * @example
 * ```ts
 * const file = await KubeconfigFile.read("admin.kubeconfig");
 * file.setEntry("clusters", "root", { ...file.entry("clusters", "root")!, server: url });
 * await file.write(); // atomic, mode 0600
 * ```
 *
 * @module
 */
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { UserError } from "../cli/errors.ts";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import { mergeLines } from "./line_merge.ts";
import { type EntryKind, type EntryValue, VALUE_KEY } from "./kubeconfig_types.ts";

/** kubectl's skeleton for a kubeconfig file it creates. */
const NEW_FILE_TEXT = [
  "apiVersion: v1",
  "clusters: null",
  "contexts: null",
  'current-context: ""',
  "kind: Config",
  "preferences: {}",
  "users: null",
  "",
].join("\n");

/** How the original text lays out block sequences (`- x` under `key:` or indented). */
function detectSequenceIndent(text: string): boolean {
  const m = /^( *)[^\s#][^:\n]*:[ \t]*\n\1( *)- /m.exec(text);
  return m !== null && m[2].length > 0;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A loaded (or not yet existing) kubeconfig file. */
export class KubeconfigFile {
  /** Path as given (relative paths stay relative to the working directory). */
  readonly path: string;
  /** True when the file existed when it was read. */
  readonly exists: boolean;
  #original: string;
  #doc: Document;
  #pristine: string;
  #dirty = false;
  #indentSeq: boolean;
  #crlf: boolean;
  /** The file was JSON (a flow mapping): edits are written as block YAML, as kubectl does. */
  #fromJson = false;

  private constructor(path: string, text: string | undefined) {
    this.path = path;
    this.exists = text !== undefined;
    // An empty file holds nothing to preserve: start from kubectl's skeleton.
    this.#original = text === undefined || text.trim() === "" ? NEW_FILE_TEXT : text;
    this.#indentSeq = detectSequenceIndent(this.#original);
    this.#crlf = this.#original.includes("\r\n");
    this.#doc = KubeconfigFile.#parse(path, this.#original);
    if (isMap(this.#doc.contents) && this.#doc.contents.flow) {
      this.#fromJson = true;
      this.#doc = new Document(this.#doc.toJS());
    }
    this.#pristine = this.#render();
  }

  static #parse(path: string, text: string): Document {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) {
      const first = doc.errors[0].message.split("\n")[0];
      throw new UserError(`kubeconfig file "${path}" is not valid YAML: ${first}`);
    }
    const contents = doc.contents;
    if (contents !== null && !isMap(contents) && !(isScalar(contents) && contents.value == null)) {
      throw new UserError(`kubeconfig file "${path}" is not a kubeconfig: expected a mapping`);
    }
    for (const kind of ["clusters", "contexts", "users"] as const) {
      const list = isMap(contents) ? contents.get(kind, true) : undefined;
      if (list !== undefined && !isSeq(list) && !(isScalar(list) && list.value == null)) {
        throw new UserError(
          `kubeconfig file "${path}" is not a kubeconfig: "${kind}" is not a list`,
        );
      }
    }
    return doc;
  }

  /**
   * Reads `path`. A missing file yields an empty kubeconfig when `allowMissing`
   * (the default), else a `UserError`; unreadable or invalid files are `UserError`s.
   */
  static async read(
    path: string,
    options: { allowMissing?: boolean } = {},
  ): Promise<KubeconfigFile> {
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound && (options.allowMissing ?? true)) {
        return new KubeconfigFile(path, undefined);
      }
      throw new UserError(`cannot read kubeconfig file "${path}": ${readFailure(e)}`);
    }
    return KubeconfigFile.fromText(path, text);
  }

  /** A file that does not exist yet (kubectl's skeleton until edited). */
  static empty(path: string): KubeconfigFile {
    return new KubeconfigFile(path, undefined);
  }

  /** Parses `text` as the content of `path` (nothing is read from disk). */
  static fromText(path: string, text: string): KubeconfigFile {
    return new KubeconfigFile(path, text);
  }

  #render(): string {
    const text = this.#doc.toString({
      indentSeq: this.#indentSeq,
      lineWidth: 0,
      flowCollectionPadding: false,
    });
    return this.#crlf ? text.replace(/\r?\n/g, "\r\n") : text;
  }

  #root(): YAMLMap {
    if (!isMap(this.#doc.contents)) this.#doc.contents = this.#doc.createNode({}) as never;
    return this.#doc.contents as unknown as YAMLMap;
  }

  #list(kind: EntryKind, create: boolean): YAMLSeq | undefined {
    const root = this.#root();
    const node = root.get(kind, true);
    if (isSeq(node)) {
      if (create && node.flow && node.items.length === 0) node.flow = false;
      return node;
    }
    if (!create) return undefined;
    const seq = this.#doc.createNode([]) as YAMLSeq;
    root.set(kind, seq);
    return seq;
  }

  #indexOf(kind: EntryKind, name: string): number {
    const seq = this.#list(kind, false);
    if (!seq) return -1;
    return seq.items.findIndex((item) => isMap(item) && item.get("name") === name);
  }

  /** Names of the entries of one kind, in file order. */
  names(kind: EntryKind): string[] {
    const seq = this.#list(kind, false);
    if (!seq) return [];
    const names: string[] = [];
    for (const item of seq.items) {
      const name = isMap(item) ? item.get("name") : undefined;
      if (typeof name === "string") names.push(name);
    }
    return names;
  }

  /** A copy of the named entry's value, or undefined. */
  entry<K extends EntryKind>(kind: K, name: string): EntryValue[K] | undefined {
    const i = this.#indexOf(kind, name);
    if (i < 0) return undefined;
    const item = this.#list(kind, false)!.items[i] as YAMLMap;
    const value = item.get(VALUE_KEY[kind], true);
    const js = value === undefined ? {} : this.#doc.createNode(value).toJSON();
    return (js && typeof js === "object" ? js : {}) as EntryValue[K];
  }

  /** The file's `current-context` ("" when absent). */
  get currentContext(): string {
    const root = this.#doc.contents;
    const value = isMap(root) ? root.get("current-context") : undefined;
    return typeof value === "string" ? value : "";
  }

  /** Sets `current-context`. */
  setCurrentContext(name: string): void {
    if (this.currentContext === name) return;
    const root = this.#root();
    const old = root.get("current-context", true);
    // An empty value is written `""`; a new name is written plain, as kubectl does.
    if (isScalar(old) && old.value === "") old.type = undefined;
    root.set("current-context", name);
    this.#dirty = true;
  }

  /**
   * Sets the named entry's value. An existing entry is edited field by field (so
   * fields left equal keep their formatting); a new one is appended to the list.
   */
  setEntry<K extends EntryKind>(kind: K, name: string, value: EntryValue[K]): void {
    const key = VALUE_KEY[kind];
    const i = this.#indexOf(kind, name);
    if (i < 0) {
      const seq = this.#list(kind, true)!;
      const item = kind === "users" ? { name, [key]: value } : { [key]: value, name };
      seq.items.push(this.#doc.createNode(item));
      this.#dirty = true;
      return;
    }
    const item = this.#list(kind, false)!.items[i] as YAMLMap;
    const old = this.entry(kind, name) as Record<string, unknown>;
    const target = item.get(key, true);
    if (!isMap(target)) {
      item.set(key, this.#doc.createNode(value));
      this.#dirty = true;
      return;
    }
    this.#editFields(target, old, value);
  }

  /**
   * Visits every entry of one kind in file order (duplicated names included) and
   * applies the value `edit` returns; `undefined` leaves the entry as it is. Fields
   * left equal keep their formatting, as with `setEntry`.
   */
  editEach<K extends EntryKind>(
    kind: K,
    edit: (name: string, value: EntryValue[K]) => EntryValue[K] | undefined,
  ): void {
    const seq = this.#list(kind, false);
    if (!seq) return;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      const name = item.get("name");
      const node = item.get(VALUE_KEY[kind], true);
      if (typeof name !== "string" || !isMap(node)) continue;
      const old = node.toJS(this.#doc) as EntryValue[K];
      const value = edit(name, structuredClone(old));
      if (value !== undefined) this.#editFields(node, old, value);
    }
  }

  #editFields(target: YAMLMap, old: Record<string, unknown>, value: Record<string, unknown>): void {
    for (const field of Object.keys(old)) {
      if (!(field in value) || value[field] === undefined) {
        target.delete(field);
        this.#dirty = true;
      }
    }
    for (const [field, v] of Object.entries(value)) {
      if (v === undefined || deepEqual(old[field], v)) continue;
      this.#dirty = true;
      const existing = target.get(field, true);
      if (isScalar(existing) && (v === null || typeof v !== "object")) {
        existing.value = v; // keeps the quoting style and comments of the old value
      } else if (target.has(field)) {
        target.set(field, this.#doc.createNode(v));
      } else {
        // New fields go where kubectl's sorted output would put them.
        const at = target.items.findIndex((p) => isScalar(p.key) && String(p.key.value) > field);
        const pair = this.#doc.createPair(field, v);
        if (at < 0) target.items.push(pair);
        else target.items.splice(at, 0, pair);
      }
    }
  }

  /** Removes the named entry; returns whether it was there. */
  deleteEntry(kind: EntryKind, name: string): boolean {
    const i = this.#indexOf(kind, name);
    if (i < 0) return false;
    this.#list(kind, false)!.items.splice(i, 1);
    this.#dirty = true;
    return true;
  }

  /** True when an edit changed the document since it was read or written. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** The file's text with the edits applied (untouched lines as in the original). */
  text(): string {
    if (!this.#dirty) return this.#original;
    if (this.#fromJson) return this.#render();
    return mergeLines(this.#original, this.#pristine, this.#render());
  }

  /**
   * Writes the file atomically with mode 0600 (creating its directory, as kubectl
   * does) when it was edited, or unconditionally to `path` when one is given.
   */
  async write(path?: string): Promise<void> {
    if (path === undefined && !this.#dirty) return;
    const target = path ?? this.path;
    const text = this.text();
    try {
      if (path === undefined) await mkdir(dirname(target), { recursive: true });
      await atomicWriteFile(target, text, { mode: 0o600 });
    } catch (e) {
      throw new UserError(`cannot write kubeconfig file "${target}": ${readFailure(e)}`);
    }
    if (path === undefined) {
      this.#original = text;
      this.#pristine = this.#render();
      this.#dirty = false;
    }
  }
}

/** A short reason for a failed file operation. */
export function readFailure(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (e instanceof Deno.errors.NotADirectory) return "a parent is not a directory";
  if (e instanceof Error) return e.message.split("\n")[0];
  return String(e);
}
