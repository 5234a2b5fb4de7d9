/**
 * The placement translator's event handlers: each input event is turned into the
 * least work that can be affected (controllers-spec §4, docs/placement.md):
 *
 * - an EdgePlacement: its tests are re-indexed and, when they changed, it alone is
 *   selected again; an upsync change rewrites the SyncerConfigs of its mailboxes; a
 *   deleted placement's parts are looked at again in its mailboxes;
 * - a SinglePlacementSlice: only the mailboxes gained, lost or changed, and only the
 *   placement's own parts there;
 * - a Customizer: the selected objects that name it;
 * - a Location or SyncTarget: the mailboxes reached through it, only when its labels or
 *   annotations (the customization parameters) changed;
 * - a mailbox Workspace: that mailbox, when its phase, UID or cluster changed.
 *
 * Workload objects are handled by each workspace's `WmwSelection`.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import { objectKey } from "../../controller/list_watch.ts";
import {
  type EdgePlacement,
  mailboxName,
  parseMailboxName,
  type SinglePlacementSlice,
} from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";
import { clusterOfKey, type TranslatorState } from "./translator_state.ts";

function clusterOf(o: KubeObject): string {
  return o.metadata?.annotations?.["kcp.io/cluster"] ?? "";
}

function json(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** Changed in what customization reads (labels, annotations) or in identity. */
function parametersChanged(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  return !a || !b || a.metadata?.uid !== b.metadata?.uid ||
    json(a.metadata?.labels) !== json(b.metadata?.labels) ||
    json(a.metadata?.annotations) !== json(b.metadata?.annotations);
}

/** Wires the translator's informers to its state. */
export class TranslatorEvents {
  readonly #s: TranslatorState;
  readonly #onPlacementGone: (pk: string) => void;

  constructor(
    state: TranslatorState,
    client: RestClient,
    log: Logger,
    onPlacementGone: (pk: string) => void,
  ) {
    this.#s = state;
    state.client = client;
    state.log = log;
    this.#onPlacementGone = onPlacementGone;
  }

  /** Adds the handlers. */
  attach(): void {
    const s = this.#s;
    s.placements.addHandlers({
      onAdd: (ep) => this.#placement(undefined, ep),
      onUpdate: (old, ep) => this.#placement(old, ep),
      onDelete: (ep) => this.#placementGone(ep),
    });
    const slice = (sps: SinglePlacementSlice & KubeObject, present: boolean) => {
      const pk = objectKey(sps);
      const change = s.index.set(pk, present ? sps.destinations ?? [] : []);
      s.placementMoved(pk, [...change.added, ...change.removed, ...change.changed]);
    };
    s.slices.addHandlers({
      onAdd: (o) => slice(o as SinglePlacementSlice & KubeObject, true),
      onUpdate: (_a, o) => slice(o as SinglePlacementSlice & KubeObject, true),
      onDelete: (o) => slice(o as SinglePlacementSlice & KubeObject, false),
    });
    const customizer = (c: KubeObject) => this.#customizer(c);
    s.customizers.addHandlers({
      onAdd: customizer,
      onUpdate: (_a, c) => customizer(c),
      onDelete: customizer,
    });
    const location = (a: KubeObject | undefined, b: KubeObject | undefined) => {
      const l = (b ?? a)!;
      if (!parametersChanged(a, b)) return;
      this.#full(s.index.mailboxesAt(clusterOf(l), l.metadata?.name ?? ""));
    };
    s.locations.addHandlers({
      onAdd: (l) => location(undefined, l),
      onUpdate: (a, b) => location(a, b),
      onDelete: (l) => location(l, undefined),
    });
    const syncTarget = (a: KubeObject | undefined, b: KubeObject | undefined) => {
      const st = (b ?? a)!;
      if (!parametersChanged(a, b)) return;
      const mb = mailboxName(clusterOf(st), st.metadata?.uid ?? "");
      if (s.contents.has(mb)) this.#full([mb]);
    };
    s.syncTargets.addHandlers({
      onAdd: (st) => syncTarget(undefined, st),
      onUpdate: (a, b) => syncTarget(a, b),
      onDelete: (st) => syncTarget(st, undefined),
    });
    const workspace = (a: KubeObject | undefined, b: KubeObject | undefined) => {
      const ws = (b ?? a)!;
      const name = ws.metadata?.name ?? "";
      if (!parseMailboxName(name)) return;
      const cluster = (w: KubeObject | undefined) =>
        (w?.spec as { cluster?: string } | undefined)?.cluster;
      const phase = (w: KubeObject | undefined) =>
        (w?.status as { phase?: string } | undefined)?.phase;
      if (
        a && b && phase(a) === phase(b) && cluster(a) === cluster(b) &&
        a.metadata?.uid === b.metadata?.uid
      ) return;
      s.enqueue(`mb:${name}`);
    };
    s.workspaces.addHandlers({
      onAdd: (w) => workspace(undefined, w),
      onUpdate: (a, b) => workspace(a, b),
      onDelete: (w) => workspace(w, undefined),
    });
  }

  #full(mailboxes: Iterable<string>): void {
    for (const mb of mailboxes) {
      this.#s.content(mb).markFull();
      this.#s.enqueue(`mb:${mb}`);
    }
  }

  #placement(old: EdgePlacement | undefined, ep: EdgePlacement & KubeObject): void {
    const s = this.#s;
    const pk = objectKey(ep);
    const wmw = clusterOf(ep);
    s.notePlacement(pk, true);
    const selection = s.selectionOf(wmw);
    if (selection?.setPlacement(pk, ep)) s.needSelect(wmw, pk);
    s.enqueue(`wmw:${wmw}`);
    if (!old) return;
    if (json(old.spec?.upsync) !== json(ep.spec?.upsync)) {
      for (const mb of s.index.mailboxesOf(pk)) {
        s.content(mb).markConfig();
        s.enqueue(`mb:${mb}`);
      }
    }
    if (old.spec?.wantSingletonReportedState !== ep.spec?.wantSingletonReportedState) {
      s.singletonsOf(pk);
    }
  }

  #placementGone(ep: EdgePlacement & KubeObject): void {
    const s = this.#s;
    const pk = objectKey(ep);
    const wmw = clusterOf(ep);
    s.singletonsOf(pk);
    s.notePlacement(pk, false);
    s.selectionOf(wmw)?.removePlacement(pk);
    for (const mb of s.index.mailboxesOf(pk)) {
      s.content(mb).markConfig();
      s.enqueue(`mb:${mb}`);
    }
    this.#onPlacementGone(pk);
    s.enqueue(`wmw:${wmw}`);
  }

  #customizer(c: KubeObject): void {
    const s = this.#s;
    const wmw = clusterOf(c);
    const selection = s.selectionOf(wmw);
    if (!selection) return;
    const users = selection.customizerUsers(c.metadata?.namespace ?? "", c.metadata?.name ?? "");
    for (const key of users) {
      for (const pk of s.placementsIn(wmw)) {
        if (clusterOfKey(pk) === wmw && selection.partOf(pk, key)) s.partChanged(pk, key);
      }
    }
  }
}
