/**
 * The writes into one mailbox workspace (controllers-spec §4.5, §4.8, §4.10), one
 * object at a time, each written only when its projected form really changed. For
 * every copy it keeps a compact fingerprint of the form it last wrote
 * (`content_hash.ts`), the API version, and the form's top-level shape — never the
 * object itself — so the memory per copy is a few dozen bytes.
 *
 * - A new copy is a plain create; an existing one found on the way (after a restart) is
 *   read, merged (`mergedForm`: mailbox-only labels, annotations and status survive) and
 *   replaced only when it differs.
 * - A known copy whose form changed is updated with one JSON patch (top-level fields
 *   replaced, labels and annotations set key by key), without reading it first; a
 *   patch the server refuses falls back to read-merge-replace.
 * - Create-only copies are never updated.
 * - Copies no longer wanted are deleted (only those labelled as projected, with a
 *   resourceVersion precondition); Namespaces this controller made are deleted when
 *   nothing in the mailbox needs them any more (`removeNamespace`).
 * - The SyncerConfig `the-one` is replaced when its spec changed.
 *
 * `init` learns, after a restart, which copies exist: the previous SyncerConfig lists
 * them (the translator writes it before it creates copies it adds, so it lists every
 * copy even after a crash), and projected APIBindings are found by their label. The
 * translator's cache keeps only that a SyncerConfig exists; `init` reads its spec.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import {
  EDGE_API_VERSION,
  EDGE_GROUP,
  EDGE_KEYS,
  EDGE_VERSION,
  SYNCER_CONFIG_NAME,
} from "../../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { ApiError, isAlreadyExists, isConflict, isNotFound } from "../../kube/rest_errors.ts";
import type { Logger } from "../../log/logger.ts";
import { splitPartKey } from "./compiled_placement.ts";
import { contentHash } from "./content_hash.ts";
import { canonicalJson, mergedForm, sameJson } from "./projected_form.ts";
import { listedObjects, type SyncerConfigSpec } from "./syncer_config_spec.ts";
import { jsonPatchTextFor } from "./update_patch.ts";
import { unknownForm, type Written, writtenFor } from "./written_record.ts";

const FIELD_MANAGER = { fieldManager: "placement-translator" };
const SYNCER_CONFIGS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "syncerconfigs" };
const BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const PROJECTED = { labelSelector: `${EDGE_KEYS.projected}=yes` };

/**
 * A mailbox's SyncerConfig as last seen (null: it has none); without `spec`, `init`
 * reads it.
 */
export type PreviousSyncerConfig = { resourceVersion?: string; spec?: SyncerConfigSpec } | null;

/** The REST coordinates of a part key at `version`. */
export function refOfKey(key: string, version: string): ResourceRef & { name: string } {
  const k = splitPartKey(key);
  return {
    group: k.group,
    version,
    resource: k.resource,
    namespace: k.namespace || undefined,
    name: k.name,
  };
}

/** The fingerprint of a form (and its create-only bit). */
export function formHash(form: KubeObject, createOnly: boolean): string {
  return contentHash(canonicalJson(form)) + (createOnly ? "c" : "");
}

/** Keeps one mailbox's contents. */
export class MailboxWriter {
  readonly mailbox: string;
  /** UID of the mailbox Workspace this writer knows (a re-created one needs a new writer). */
  readonly workspaceUid: string;
  readonly #client: RestClient;
  readonly #log: Logger;
  readonly #written = new Map<string, Written>();
  /** Namespaces known to exist in the mailbox, made by this controller. */
  readonly #namespaces = new Set<string>();
  #initialized = false;
  #syncerConfigHash = "";
  #syncerConfigRv: string | undefined;
  /** Writes done (creates, updates, deletes). */
  writes = 0;

  constructor(mailbox: string, workspaceUid: string, client: RestClient, log: Logger) {
    this.mailbox = mailbox;
    this.workspaceUid = workspaceUid;
    this.#client = client;
    this.#log = log;
  }

  /** Releases the mailbox client. */
  close(): void {
    this.#client.close();
  }

  /** True once `init` learned what the mailbox holds. */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** True when copy `key` is known to be in the mailbox. */
  knows(key: string): boolean {
    return this.#written.has(key);
  }

  /** Keys of the copies known to be in the mailbox. */
  knownKeys(): string[] {
    return [...this.#written.keys()];
  }

  /** Key and API version of every copy known to be in the mailbox. */
  *known(): IterableIterator<[string, string]> {
    for (const [key, w] of this.#written) yield [key, w.version];
  }

  /** Namespaces known to be in the mailbox because of this controller. */
  knownNamespaces(): string[] {
    return [...this.#namespaces];
  }

  /**
   * Learns which copies exist (after a restart): those `previous` (the mailbox's current
   * SyncerConfig, from the translator's cache; null when there is none) lists, the
   * Namespaces of its namespaced objects, and the projected APIBindings (looked for only
   * when there is a SyncerConfig: the translator writes one before any copy).
   */
  async init(previous: PreviousSyncerConfig): Promise<void> {
    if (previous && previous.spec === undefined) previous = await this.#readSyncerConfig();
    this.#syncerConfigRv = previous?.resourceVersion;
    for (const o of listedObjects(previous?.spec)) {
      this.#written.set(
        `${o.group}/${o.resource}|${o.namespace}/${o.name}`,
        unknownForm(o.version),
      );
      if (o.namespace) this.#namespaces.add(o.namespace);
    }
    // The translator writes a SyncerConfig before any copy: without one there is none.
    let bindings: KubeObject[] = [];
    try {
      if (previous) {
        bindings = (await this.#client.list<KubeObject>(BINDINGS, PROJECTED)).items ?? [];
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    for (const b of bindings) {
      this.#written.set(
        `apis.kcp.io/apibindings|/${b.metadata?.name ?? ""}`,
        unknownForm(BINDINGS.version),
      );
    }
    this.#initialized = true;
  }

  /** The mailbox's SyncerConfig `the-one` as it is now (null: none). */
  async #readSyncerConfig(): Promise<PreviousSyncerConfig> {
    try {
      const sc = await this.#client.get<KubeObject>({
        ...SYNCER_CONFIGS,
        name: SYNCER_CONFIG_NAME,
      });
      return { resourceVersion: sc.metadata?.resourceVersion, spec: sc.spec as SyncerConfigSpec };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** True when the mailbox holds a SyncerConfig this writer knows of. */
  get hasSyncerConfig(): boolean {
    return this.#syncerConfigRv !== undefined;
  }

  /** Makes the copy `key` hold `form`; resolves to the number of writes. */
  async put(key: string, version: string, form: KubeObject, hash: string, createOnly: boolean) {
    const known = this.#written.get(key);
    if (known?.hash === hash) return 0;
    const ref = refOfKey(key, version);
    const isNamespace = ref.group === "" && ref.resource === "namespaces";
    const remember = () => {
      this.#written.set(key, writtenFor(form, hash, version));
      if (isNamespace) this.#namespaces.add(ref.name);
    };
    // A create the server never answered may have been made: known with an unknown form,
    // so that a later put reads it first and a removal still deletes it.
    const unanswered = () => {
      if (!this.#written.has(key)) this.#written.set(key, unknownForm(version));
    };
    if (known && known.hash !== "" && known.version === version) {
      if (createOnly) return remember(), 0;
      try {
        await this.#client.patchUnread(
          ref,
          jsonPatchTextFor(form, known.shape),
          "json",
          FIELD_MANAGER,
        );
        remember();
        return this.#wrote(1);
      } catch (e) {
        if (isNotFound(e)) return await this.#create(ref, form, remember, unanswered);
        this.#log.debug("patch refused; replacing", { mailbox: this.mailbox, object: key });
      }
    }
    if (!known) {
      try {
        return await this.#create(ref, form, remember, unanswered);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    let existing: KubeObject;
    try {
      existing = await this.#client.get<KubeObject>(ref);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return await this.#create(ref, form, remember, unanswered);
    }
    if (createOnly) return remember(), 0;
    const merged = mergedForm(existing, form);
    let writes = 0;
    if (!sameJson(merged, existing)) {
      await this.#client.update(ref, merged, FIELD_MANAGER);
      writes = 1;
    }
    remember();
    return this.#wrote(writes);
  }

  async #create(
    ref: ResourceRef,
    form: KubeObject,
    remember: () => void,
    unanswered: () => void,
  ): Promise<number> {
    try {
      await this.#client.createUnread(ref, form, FIELD_MANAGER);
    } catch (e) {
      // Its Namespace is not there after all (learned from a SyncerConfig written ahead).
      if (isNotFound(e) && ref.namespace) this.#namespaces.delete(ref.namespace);
      if (!(e instanceof ApiError)) unanswered();
      throw e;
    }
    remember();
    return this.#wrote(1);
  }

  #wrote(n: number): number {
    this.writes += n;
    return n;
  }

  /** Deletes the copy `key` (a Namespace only forgotten: see `removeNamespace`). */
  async remove(key: string): Promise<number> {
    const known = this.#written.get(key);
    if (!known) return 0;
    const ref = refOfKey(key, known.version);
    if (ref.group === "" && ref.resource === "namespaces") {
      this.#written.delete(key);
      return 0;
    }
    const n = await this.#deleteProjected(ref);
    this.#written.delete(key);
    if (n > 0) this.#log.debug("deleted", { mailbox: this.mailbox, object: key });
    return this.#wrote(n);
  }

  async #deleteProjected(ref: ResourceRef & { name: string }): Promise<number> {
    let existing: KubeObject;
    try {
      existing = await this.#client.get<KubeObject>(ref);
    } catch (e) {
      if (isNotFound(e)) return 0;
      throw e;
    }
    if (existing.metadata?.labels?.[EDGE_KEYS.projected] !== "yes") return 0; // not ours
    if (existing.metadata?.deletionTimestamp) return 0;
    try {
      await this.#client.delete(ref, {
        preconditions: { resourceVersion: existing.metadata?.resourceVersion },
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return 0;
    }
    return 1;
  }

  /** Creates Namespace `name` (only labelled as projected) unless it is known to exist. */
  async ensureNamespace(name: string): Promise<number> {
    if (this.#namespaces.has(name)) return 0;
    try {
      await this.#client.create(NAMESPACES, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { [EDGE_KEYS.projected]: "yes" } },
      }, FIELD_MANAGER);
      this.#namespaces.add(name);
      return this.#wrote(1);
    } catch (e) {
      if (isAlreadyExists(e)) {
        this.#namespaces.add(name);
        return 0;
      }
      // A create the server never answered may have made it; a copy's create in it tells
      // (a missing Namespace is forgotten then, and made again).
      if (!(e instanceof ApiError)) this.#namespaces.add(name);
      throw e;
    }
  }

  /** Deletes Namespace `name` if this controller made it (it is labelled as projected). */
  async removeNamespace(name: string): Promise<number> {
    const n = await this.#deleteProjected({ ...NAMESPACES, name });
    this.#namespaces.delete(name);
    this.#written.delete(`/namespaces|/${name}`);
    if (n > 0) this.#log.debug("deleted namespace", { mailbox: this.mailbox, namespace: name });
    return this.#wrote(n);
  }

  /** Writes the SyncerConfig `the-one` when its spec changed. */
  async writeSyncerConfig(spec: SyncerConfigSpec): Promise<number> {
    const hash = contentHash(canonicalJson(spec));
    if (hash === this.#syncerConfigHash) return 0;
    const ref = { ...SYNCER_CONFIGS, name: SYNCER_CONFIG_NAME };
    const body = (resourceVersion?: string) => ({
      apiVersion: EDGE_API_VERSION,
      kind: "SyncerConfig",
      metadata: { name: SYNCER_CONFIG_NAME, ...(resourceVersion ? { resourceVersion } : {}) },
      spec,
    });
    if (this.#syncerConfigRv) {
      // The copy we know: replace it directly (a conflict means someone else wrote).
      try {
        const out = await this.#client.update<KubeObject>(
          ref,
          body(this.#syncerConfigRv),
          FIELD_MANAGER,
        );
        this.#syncerConfigRv = out.metadata?.resourceVersion;
        this.#syncerConfigHash = hash;
        return this.#wrote(1);
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
        this.#syncerConfigRv = undefined;
      }
    }
    let existing: KubeObject | undefined;
    try {
      existing = await this.#client.get<KubeObject>(ref);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    let writes = 0;
    if (!existing) {
      existing = await this.#client.create<KubeObject>(ref, body(), FIELD_MANAGER);
      writes = 1;
    } else if (!sameJson(existing.spec, spec)) {
      existing = await this.#client.update<KubeObject>(
        ref,
        { ...existing, spec },
        FIELD_MANAGER,
      );
      writes = 1;
    }
    this.#syncerConfigRv = existing.metadata?.resourceVersion;
    this.#syncerConfigHash = hash;
    return this.#wrote(writes);
  }
}
