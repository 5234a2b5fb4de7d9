/**
 * Protobuf schemas of `k8s.io/apimachinery/pkg/apis/meta/v1` (ObjectMeta, LabelSelector,
 * DeleteOptions, Condition) and the small references of `core/v1` that many kinds share.
 * Field numbers follow the upstream `generated.proto` files.
 *
 * @module
 */
import {
  bool,
  int,
  KEEP,
  msg,
  REP,
  type Schema,
  str,
  strMap,
  time,
} from "./protobuf_schemas_types.ts";

/** metav1.OwnerReference. */
export const OWNER_REFERENCE: Schema = {
  1: str("kind"),
  3: str("name"),
  4: str("uid"),
  5: str("apiVersion"),
  6: bool("controller", KEEP),
  7: bool("blockOwnerDeletion", KEEP),
};

/** metav1.ManagedFieldsEntry; `fieldsV1` is the JSON it carries. */
const MANAGED_FIELDS_ENTRY: Schema = {
  1: str("manager"),
  2: str("operation"),
  3: str("apiVersion"),
  4: time("time"),
  6: str("fieldsType"),
  7: { name: "fieldsV1", type: "json" },
  8: str("subresource"),
};

/** metav1.ObjectMeta. */
export const OBJECT_META: Schema = {
  1: str("name"),
  2: str("generateName"),
  3: str("namespace"),
  4: str("selfLink"),
  5: str("uid"),
  6: str("resourceVersion"),
  7: int("generation"),
  8: time("creationTimestamp"),
  9: time("deletionTimestamp"),
  10: int("deletionGracePeriodSeconds", KEEP),
  11: strMap("labels"),
  12: strMap("annotations"),
  13: msg("ownerReferences", OWNER_REFERENCE, REP),
  14: str("finalizers", REP),
  17: msg("managedFields", MANAGED_FIELDS_ENTRY, REP),
};

/** metav1.LabelSelector. */
export const LABEL_SELECTOR: Schema = {
  1: strMap("matchLabels"),
  2: msg("matchExpressions", { 1: str("key"), 2: str("operator"), 3: str("values", REP) }, REP),
};

/** metav1.Condition. */
export const CONDITION: Schema = {
  1: str("type"),
  2: str("status"),
  3: int("observedGeneration"),
  4: time("lastTransitionTime"),
  5: str("reason"),
  6: str("message"),
};

/** core/v1 ObjectReference. */
export const OBJECT_REFERENCE: Schema = {
  1: str("kind"),
  2: str("namespace"),
  3: str("name"),
  4: str("uid"),
  5: str("apiVersion"),
  6: str("resourceVersion"),
  7: str("fieldPath"),
};

/** core/v1 TypedLocalObjectReference. */
export const TYPED_LOCAL_OBJECT_REFERENCE: Schema = {
  1: str("apiGroup", KEEP),
  2: str("kind"),
  3: str("name"),
};

/** metav1.DeleteOptions, sent by typed deletes. */
export const DELETE_OPTIONS: Schema = {
  1: int("gracePeriodSeconds", KEEP),
  2: msg("preconditions", { 1: str("uid", KEEP), 2: str("resourceVersion", KEEP) }),
  3: bool("orphanDependents", KEEP),
  4: str("propagationPolicy", KEEP),
  5: str("dryRun", REP),
  6: bool("ignoreStoreReadErrorWithClusterBreakingPotential", KEEP),
};
