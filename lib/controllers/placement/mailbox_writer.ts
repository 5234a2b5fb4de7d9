/**
 * Writes the desired contents into one mailbox workspace (controllers-spec §4.5,
 * §4.8, §4.10): defining CRDs and APIBindings first, then Namespaces, then the other
 * objects; copies no longer wanted are deleted (never Namespaces); the SyncerConfig
 * `the-one` last. Level-based and cheap when nothing changed: it remembers the form it
 * last wrote for each object, so a repeat writes nothing, and a first write is a
 * plain create (an existing copy is merged and replaced only when it differs).
 * Create-only objects are never updated.
 *
 * After a restart the previous SyncerConfig (and the projected APIBindings) tell which
 * copies exist, so copies that stopped being wanted while it was down are removed.
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
import { isAlreadyExists, isConflict, isNotFound } from "../../kube/rest_errors.ts";
import type { Logger } from "../../log/logger.ts";
import { canonicalJson, mergedForm, sameJson } from "./projected_form.ts";
import { listedObjects, type SyncerConfigSpec } from "./syncer_config_spec.ts";

/** One object to have in the mailbox. */
export interface ProjectedObject {
  key: string;
  ref: ResourceRef & { name: string };
  form: KubeObject;
  createOnly: boolean;
}

const FIELD_MANAGER = { fieldManager: "placement-translator" };
const SYNCER_CONFIGS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "syncerconfigs" };
const BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };

function phaseOf(ref: ResourceRef): number {
  const gr = `${ref.group ?? ""}/${ref.resource}`;
  if (gr === "apiextensions.k8s.io/customresourcedefinitions" || gr === "apis.kcp.io/apibindings") {
    return 0;
  }
  if (gr === "/namespaces") return 1;
  return 2;
}

/** Keeps one mailbox's contents. */
export class MailboxWriter {
  readonly mailbox: string;
  /** UID of the mailbox Workspace this writer knows (a re-created one needs a new writer). */
  readonly workspaceUid: string;
  readonly #client: RestClient;
  readonly #log: Logger;
  /** Objects known to be in the mailbox: key → form hash ("" = unknown form). */
  readonly #written = new Map<string, { hash: string; ref: ResourceRef & { name: string } }>();
  readonly #namespaces = new Set<string>();
  #initialized = false;
  #syncerConfig = "";
  #lastSyncerConfig: KubeObject | undefined;

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

  /** Writes what is needed; throws (after trying everything) when a write failed. */
  async apply(objects: ProjectedObject[], spec: SyncerConfigSpec): Promise<{ writes: number }> {
    if (!this.#initialized) await this.#learnExisting();
    const errors: unknown[] = [];
    let writes = 0;
    const wanted = new Set(objects.map((o) => o.key));
    const namespaces = new Set(objects.map((o) => o.ref.namespace).filter((n): n is string => !!n));
    const phases: ProjectedObject[][] = [[], [], []];
    for (const o of objects) phases[phaseOf(o.ref)].push(o);
    for (const [i, phase] of phases.entries()) {
      const jobs = phase.map((o) => this.#upsert(o));
      if (i === 1) jobs.push(...[...namespaces].map((ns) => this.#ensureNamespace(ns)));
      for (const r of await Promise.allSettled(jobs)) {
        if (r.status === "rejected") errors.push(r.reason);
        else writes += r.value;
      }
    }
    const stale = [...this.#written.entries()].filter(([key]) => !wanted.has(key));
    for (const r of await Promise.allSettled(stale.map(([key, w]) => this.#remove(key, w.ref)))) {
      if (r.status === "rejected") errors.push(r.reason);
      else writes += r.value;
    }
    try {
      writes += await this.#writeSyncerConfig(spec);
    } catch (e) {
      errors.push(e);
    }
    if (errors.length > 0) {
      const first = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
      throw new Error(
        `mailbox ${this.mailbox}: ${errors.length} write(s) failed, first: ${first}`,
        {
          cause: errors[0],
        },
      );
    }
    return { writes };
  }

  async #learnExisting(): Promise<void> {
    let previous: SyncerConfigSpec | undefined;
    try {
      previous = (await this.#client.get<{ spec: SyncerConfigSpec }>({
        ...SYNCER_CONFIGS,
        name: SYNCER_CONFIG_NAME,
      }))
        .spec;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    for (const o of listedObjects(previous)) {
      const ref = {
        group: o.group,
        version: o.version,
        resource: o.resource,
        namespace: o.namespace || undefined,
        name: o.name,
      };
      this.#written.set(`${o.group}/${o.resource}|${o.namespace}/${o.name}`, { hash: "", ref });
    }
    try {
      const bindings = await this.#client.list<KubeObject>(BINDINGS, {
        labelSelector: `${EDGE_KEYS.projected}=yes`,
      });
      for (const b of bindings.items ?? []) {
        const name = b.metadata?.name ?? "";
        this.#written.set(`apis.kcp.io/apibindings|/${name}`, {
          hash: "",
          ref: { ...BINDINGS, name },
        });
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.#initialized = true;
  }

  async #ensureNamespace(name: string): Promise<number> {
    if (this.#namespaces.has(name)) return 0;
    try {
      await this.#client.create(NAMESPACES, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { [EDGE_KEYS.projected]: "yes" } },
      }, FIELD_MANAGER);
      this.#namespaces.add(name);
      return 1;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      this.#namespaces.add(name);
      return 0;
    }
  }

  async #upsert(o: ProjectedObject): Promise<number> {
    const hash = canonicalJson(o.form) + (o.createOnly ? "#create-only" : "");
    const known = this.#written.get(o.key);
    if (known?.hash === hash) return 0;
    if (!known) {
      try {
        await this.#client.create(o.ref, o.form, FIELD_MANAGER);
        this.#written.set(o.key, { hash, ref: o.ref });
        if (phaseOf(o.ref) === 1) this.#namespaces.add(o.ref.name);
        return 1;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    let existing: KubeObject;
    try {
      existing = await this.#client.get<KubeObject>(o.ref);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await this.#client.create(o.ref, o.form, FIELD_MANAGER);
      this.#written.set(o.key, { hash, ref: o.ref });
      return 1;
    }
    if (phaseOf(o.ref) === 1) this.#namespaces.add(o.ref.name);
    if (o.createOnly) {
      this.#written.set(o.key, { hash, ref: o.ref });
      return 0;
    }
    const merged = mergedForm(existing, o.form);
    let writes = 0;
    if (!sameJson(merged, existing)) {
      await this.#client.update(o.ref, merged, FIELD_MANAGER);
      writes = 1;
    }
    this.#written.set(o.key, { hash, ref: o.ref });
    return writes;
  }

  async #remove(key: string, ref: ResourceRef & { name: string }): Promise<number> {
    if (phaseOf(ref) === 1) { // Namespaces stay: others may rely on them.
      this.#written.delete(key);
      return 0;
    }
    let existing: KubeObject;
    try {
      existing = await this.#client.get<KubeObject>(ref);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.#written.delete(key);
      return 0;
    }
    if (existing.metadata?.labels?.[EDGE_KEYS.projected] !== "yes") {
      this.#written.delete(key); // not ours
      return 0;
    }
    try {
      await this.#client.delete(ref, {
        preconditions: { resourceVersion: existing.metadata?.resourceVersion },
      });
      this.#log.debug("deleted", { mailbox: this.mailbox, object: key });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.#written.delete(key);
    return 1;
  }

  async #writeSyncerConfig(spec: SyncerConfigSpec): Promise<number> {
    const hash = canonicalJson(spec);
    if (hash === this.#syncerConfig) return 0;
    const ref = { ...SYNCER_CONFIGS, name: SYNCER_CONFIG_NAME };
    if (this.#lastSyncerConfig) {
      // The copy we last wrote: replace it directly (a conflict means someone else wrote).
      try {
        this.#lastSyncerConfig = await this.#client.update<KubeObject>(
          ref,
          { ...this.#lastSyncerConfig, spec },
          FIELD_MANAGER,
        );
        this.#syncerConfig = hash;
        return 1;
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
        this.#lastSyncerConfig = undefined;
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
      existing = await this.#client.create<KubeObject>(ref, {
        apiVersion: EDGE_API_VERSION,
        kind: "SyncerConfig",
        metadata: { name: SYNCER_CONFIG_NAME },
        spec,
      }, FIELD_MANAGER);
      writes = 1;
    } else if (!sameJson(existing.spec, spec)) {
      existing = await this.#client.update<KubeObject>(ref, { ...existing, spec }, FIELD_MANAGER);
      writes = 1;
    }
    this.#lastSyncerConfig = existing;
    this.#syncerConfig = hash;
    return writes;
  }
}
