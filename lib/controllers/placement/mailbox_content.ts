/**
 * What the translator knows of one mailbox workspace, and its reconcile: the objects
 * it should hold (part key → resource), the parts events marked as possibly changed
 * (`dirty`), and whether a full pass is due (`full`: first sight of the mailbox, a
 * re-created workspace, an inventory change, a failed write).
 *
 * `sync` looks only at the dirty parts — for each, `combinePart` over the placements
 * targeting the mailbox, the projection, and a write only when its fingerprint
 * changed — or, in a full pass, at every part the placements select plus every copy
 * the writer knows (the level-based safety net: restarts and missed events converge).
 * Namespaces follow what is in them: made before their objects, deleted once nothing
 * the mailbox holds needs them. The SyncerConfig is rebuilt only when the set of
 * objects or the upsync clauses changed, and written before copies are added and after
 * copies are removed; it lists what is wanted plus every copy not deleted yet, so after
 * a crash it still names every copy there is (the next writer's starting point).
 *
 * @module
 */
import type { ConcurrencyLimit } from "../../controller/concurrency_limit.ts";
import { TimeSlice } from "../../controller/yield.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import type { Logger } from "../../log/logger.ts";
import { splitPartKey } from "./compiled_placement.ts";
import { combinePart, type PartContribution, upsyncUnion } from "./desired_mailbox.ts";
import type { ApiResourceInfo } from "./discovery.ts";
import type { MailboxWriter, PreviousSyncerConfig } from "./mailbox_writer.ts";
import type { PartProjector } from "./part_projection.ts";
import { type MailboxEntry, syncerConfigSpec } from "./syncer_config_spec.ts";

/** What a mailbox sync reads. */
export interface MailboxSources {
  /** The placements targeting the mailbox, in key order. */
  placements: string[];
  placement(key: string): EdgePlacement | undefined;
  /** Every part key placement `key` selects. */
  partsOf(key: string): Iterable<string>;
  /** What placement `key` contributes as part `part` to this mailbox. */
  contribution(key: string, part: string): PartContribution | undefined;
}

/** Problems found for a placement while projecting into this mailbox. */
export type ProblemSink = (placementKey: string, problems: string[]) => void;

const NAMESPACE_PREFIX = "/namespaces|/";
/** The pending parts of a mailbox with none (shared, never changed). */
const NOTHING_PENDING: ReadonlySet<string> = new Set();
const WRITE_WIDTH = 8;

function phaseOf(key: string): number {
  if (
    key.startsWith("apiextensions.k8s.io/customresourcedefinitions|") ||
    key.startsWith("apis.kcp.io/apibindings|")
  ) return 0;
  return key.startsWith(NAMESPACE_PREFIX) ? 1 : 2;
}

async function pool<T>(
  items: T[],
  fn: (item: T) => Promise<number>,
  slots: ConcurrencyLimit | undefined,
): Promise<{
  writes: number;
  failed: T[];
  errors: unknown[];
}> {
  let next = 0;
  let writes = 0;
  const failed: T[] = [];
  const errors: unknown[] = [];
  await Promise.all(Array.from({ length: Math.min(WRITE_WIDTH, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        writes += await (slots ? slots.run(() => fn(item)) : fn(item));
      } catch (e) {
        failed.push(item);
        errors.push(e);
      }
    }
  }));
  return { writes, failed, errors };
}

/** One mailbox's desired contents and pending work. */
export class MailboxContent {
  readonly mailbox: string;
  /** The writer of the mailbox's current workspace (set by the translator). */
  writer?: MailboxWriter;
  /** Made when something is marked (most mailboxes have nothing pending most of the time). */
  #dirty: Set<string> | undefined;
  #full = true;
  #configDirty = true;
  readonly #desired = new Map<string, ApiResourceInfo>();
  /** Namespace → desired namespaced parts in it. */
  readonly #nsUse = new Map<string, number>();
  /** Part key → placements and problems, for parts with problems. */
  #problems: Map<string, { placements: string[]; lines: string[] }> | undefined;

  constructor(mailbox: string) {
    this.mailbox = mailbox;
  }

  /** Part `key` may have changed. */
  markDirty(key: string): void {
    (this.#dirty ??= new Set()).add(key);
  }

  /** Everything is to be looked at again. */
  markFull(): void {
    this.#full = true;
  }

  /** The SyncerConfig is to be rebuilt (upsync clauses or targeting placements changed). */
  markConfig(): void {
    this.#configDirty = true;
  }

  #namespaceWanted(ns: string): boolean {
    return this.#desired.has(NAMESPACE_PREFIX + ns) || (this.#nsUse.get(ns) ?? 0) > 0;
  }

  #setDesired(key: string, info: ApiResourceInfo | undefined): boolean {
    const had = this.#desired.get(key);
    if (had === info) return false;
    const ns = (i: ApiResourceInfo | undefined) => i?.namespaced ? splitPartKey(key).namespace : "";
    const before = ns(had);
    const after = ns(info);
    if (before !== after) {
      if (before) {
        const n = (this.#nsUse.get(before) ?? 1) - 1;
        if (n > 0) this.#nsUse.set(before, n);
        else this.#nsUse.delete(before);
      }
      if (after) this.#nsUse.set(after, (this.#nsUse.get(after) ?? 0) + 1);
    }
    if (info) this.#desired.set(key, info);
    else this.#desired.delete(key);
    return !had || !info || had.version !== info.version;
  }

  /**
   * Converges the mailbox; resolves to the number of writes. Throws (after trying
   * everything) when a write failed; what failed is looked at again next time. Up to
   * `WRITE_WIDTH` copies are written at once, each when `slots` (shared by the mailboxes
   * reconciled at once) gives it a turn.
   */
  async sync(
    sources: MailboxSources,
    projector: PartProjector,
    log: Logger,
    report: ProblemSink,
    syncerConfig: () => PreviousSyncerConfig,
    slots?: ConcurrencyLimit,
  ): Promise<number> {
    const writer = this.writer;
    if (!writer) throw new Error(`mailbox ${this.mailbox}: no writer`);
    const full = this.#full;
    const taken: ReadonlySet<string> = this.#dirty ?? NOTHING_PENDING;
    let configDirty = this.#configDirty || full;
    this.#full = false;
    this.#dirty = undefined;
    this.#configDirty = false;
    try {
      if (!writer.initialized) await writer.init(syncerConfig());
    } catch (e) {
      this.#full = true;
      throw e;
    }
    let keys = taken;
    if (full) {
      const all = new Set<string>(taken);
      for (const pk of sources.placements) for (const k of sources.partsOf(pk)) all.add(k);
      for (const k of this.#desired.keys()) all.add(k);
      for (const k of writer.knownKeys()) all.add(k);
      keys = all;
    }
    const puts: [string, () => Promise<number>][][] = [[], [], []];
    const removes: string[] = [];
    const slice = new TimeSlice();
    let added = false;
    let problemsChanged = false;
    for (const key of keys) {
      await slice.maybeYield();
      const contributions: PartContribution[] = [];
      for (const pk of sources.placements) {
        const c = sources.contribution(pk, key);
        if (c) contributions.push(c);
      }
      const { part, conflicts } = combinePart(key, contributions);
      for (const c of conflicts) log.debug("conflict", { mailbox: this.mailbox, conflict: c });
      if (!part) {
        if (this.#setDesired(key, undefined)) configDirty = true;
        problemsChanged = (this.#problems?.delete(key) ?? false) || problemsChanged;
        if (writer.knows(key)) removes.push(key);
        continue;
      }
      const projected = projector.project(part);
      if (projected.problems.length > 0 || this.#problems?.has(key)) {
        problemsChanged = true;
        if (projected.problems.length > 0) {
          (this.#problems ??= new Map()).set(key, {
            placements: part.placements,
            lines: projected.problems,
          });
        } else this.#problems?.delete(key);
      }
      if (this.#setDesired(key, part.info)) {
        configDirty = true;
        added = true;
      }
      const { info, createOnly } = part;
      puts[phaseOf(key)].push([
        key,
        () => writer.put(key, info.version, projected.form, projected.hash, createOnly),
      ]);
    }
    if (problemsChanged) this.#report(sources, report);
    const failedKeys: string[] = [];
    const errors: unknown[] = [];
    let writes = 0;
    const collect = (r: { writes: number; failed: string[]; errors: unknown[] }) => {
      writes += r.writes;
      failedKeys.push(...r.failed);
      errors.push(...r.errors);
    };
    const writeConfig = async () => {
      // What is wanted, plus copies not deleted yet: it never lists less than is there.
      const spec = syncerConfigSpec(
        this.#entries(writer),
        upsyncUnion(this.#placementObjects(sources)),
      );
      try {
        writes += await writer.writeSyncerConfig(spec);
      } catch (e) {
        this.#configDirty = true;
        errors.push(e);
      }
    };
    const needConfig = configDirty && (sources.placements.length > 0 || writer.hasSyncerConfig);
    if (needConfig && added) {
      // Ahead of the copies it lists; without it no copy is written (so a mailbox without
      // a SyncerConfig holds no copy of ours: see `MailboxWriter.init`).
      await writeConfig();
      if (errors.length > 0) {
        for (const list of puts) for (const [k] of list) this.markDirty(k);
        for (const k of removes) this.markDirty(k);
        throw errors[0];
      }
    }
    const run = (list: [string, () => Promise<number>][]) =>
      pool(list, ([, write]) => write(), slots).then((r) =>
        collect({ ...r, failed: r.failed.map(([k]) => k) })
      );
    await run(puts[0]);
    const namespaces = [
      ...new Set(
        [...puts[2]].map(([k]) => splitPartKey(k).namespace).filter((ns) => ns !== ""),
      ),
    ];
    await run([
      ...puts[1],
      ...namespaces.map((ns): [string, () => Promise<number>] => [
        NAMESPACE_PREFIX + ns,
        () => writer.ensureNamespace(ns),
      ]),
    ]);
    await run(puts[2]);
    collect(await pool(removes, (k) => writer.remove(k), slots)); // Namespaces: only forgotten
    const gone = new Set(
      removes.map((k) => splitPartKey(k)).map((k) =>
        k.resource === "namespaces" && k.group === "" ? k.name : k.namespace
      ),
    );
    if (full) { for (const ns of writer.knownNamespaces()) gone.add(ns); }
    const drop = [...gone].filter((ns) => ns !== "" && !this.#namespaceWanted(ns));
    collect(
      await pool(drop, (ns) => writer.removeNamespace(ns), slots).then((r) => ({
        ...r,
        failed: r.failed.map((ns) => NAMESPACE_PREFIX + ns),
      })),
    );
    if (needConfig) await writeConfig();
    for (const k of failedKeys) this.markDirty(k);
    if (errors.length > 0) {
      const first = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
      throw new Error(
        `mailbox ${this.mailbox}: ${errors.length} write(s) failed, first: ${first}`,
        {
          cause: errors[0],
        },
      );
    }
    return writes;
  }

  *#entries(writer: MailboxWriter): IterableIterator<MailboxEntry> {
    for (const [key, info] of this.#desired) {
      const k = splitPartKey(key);
      yield { info, namespace: k.namespace, name: k.name };
    }
    for (const [key, version] of writer.known()) {
      if (this.#desired.has(key)) continue;
      const k = splitPartKey(key);
      const info = {
        group: k.group,
        version,
        resource: k.resource,
        kind: "",
        namespaced: k.namespace !== "",
        verbs: [],
      };
      yield { info, namespace: k.namespace, name: k.name };
    }
  }

  #placementObjects(sources: MailboxSources): EdgePlacement[] {
    return sources.placements.map((pk) => sources.placement(pk)).filter((p): p is EdgePlacement =>
      p !== undefined
    );
  }

  #report(sources: MailboxSources, report: ProblemSink): void {
    for (const pk of sources.placements) {
      const lines = new Set<string>();
      for (const p of this.#problems?.values() ?? []) {
        if (p.placements.includes(pk)) { for (const l of p.lines) lines.add(l); }
      }
      report(pk, [...lines]);
    }
  }
}
