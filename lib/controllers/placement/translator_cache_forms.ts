/**
 * What the placement translator's informers keep of each object (their `cachedForm`):
 * what its event handlers and mailbox reconciles read again later, and nothing else.
 *
 * - SyncTarget, Location: name, uid and cluster, labels and all annotations (the
 *   customization parameters, and what `parametersChanged` compares), by reference.
 * - SinglePlacementSlice: its key only; the handler turns each version's destinations
 *   into the `DestinationIndex` at once and never reads them from the cache.
 * - SyncerConfig: its key and resourceVersion. A mailbox writer, after a restart, reads
 *   the spec of one the cache names (it lists which copies exist); keeping every spec
 *   cost about 8 MiB at 10,000 mailboxes for what each writer reads once.
 * - Workspace of the ESPW: name, uid, `spec.cluster`, `status.phase`.
 *
 * EdgePlacements and Customizers, a few per workspace and read whole, are kept whole.
 *
 * @module
 */
import { identityForm, keptMetadata } from "../../controller/cached_form.ts";
import type { KubeObject } from "../../controller/list_watch.ts";

/** A SyncTarget or Location as the translator keeps it. */
export function parameterSourceForm(o: KubeObject): KubeObject {
  return { metadata: keptMetadata(o, { uid: true, labels: true, annotations: "all" }) };
}

/** A SinglePlacementSlice as the translator keeps it. */
export const sliceForm: (o: KubeObject) => KubeObject = identityForm;

/** A SyncerConfig as the translator keeps it. */
export const syncerConfigForm: (o: KubeObject) => KubeObject = identityForm;

/** A Workspace of the ESPW as the translator keeps it. */
export function translatorWorkspaceForm(o: KubeObject): KubeObject {
  return {
    metadata: keptMetadata(o, { uid: true }),
    spec: { cluster: (o.spec as { cluster?: string } | undefined)?.cluster },
    status: { phase: (o.status as { phase?: string } | undefined)?.phase },
  };
}
