/**
 * Where the running edge view publishes itself in the edge service provider workspace:
 * the ConfigMap (URL and CA) and the Secret (serving identity) `kubestellar-edge-view`
 * in namespace `default`.
 *
 * @module
 */

/** Name of the Secret and ConfigMap that describe the view. */
export const EDGE_VIEW_OBJECT = "kubestellar-edge-view";
/** Their namespace in the ESPW. */
export const EDGE_VIEW_NAMESPACE = "default";
