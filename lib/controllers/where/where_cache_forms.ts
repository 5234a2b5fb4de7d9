/**
 * What the where-resolver's inventory informers keep of each SyncTarget and Location
 * (their `cachedForm`): what its handlers read again from an update's old object or a
 * relist's deletion — name, uid and cluster, labels and spec (by reference: the
 * `SyncTargetIndex` and the Location views hold the same label and selector objects).
 * Status, annotations and the rest are dropped. EdgePlacements and
 * SinglePlacementSlices, a few per workspace and read whole by the reconcile, are kept
 * as they are.
 *
 * @module
 */
import { keptMetadata } from "../../controller/cached_form.ts";
import type { KubeObject } from "../../controller/list_watch.ts";

/** A SyncTarget or Location as the where-resolver keeps it. */
export function whereInventoryForm(o: KubeObject): KubeObject {
  return { metadata: keptMetadata(o, { uid: true, labels: true }), spec: o.spec };
}
