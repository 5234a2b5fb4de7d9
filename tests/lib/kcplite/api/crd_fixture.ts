/**
 * A CustomResourceDefinition used by several kcp-lite API tests.
 *
 * @module
 */
import type { CustomResourceDefinition } from "../../../../lib/kcplite/api/crd_conversion.ts";

/** `widgets.example.com`: v1 (storage, status+scale, a printer column), v1beta1, unserved v1alpha1. */
export function widgetCrd(): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      names: { plural: "widgets", kind: "Widget", shortNames: ["wd"], categories: ["all"] },
      scope: "Namespaced",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: { size: { type: "integer" }, color: { type: "string" } },
                },
              },
            },
          },
          subresources: {
            status: {},
            scale: { specReplicasPath: ".spec.size", statusReplicasPath: ".status.size" },
          },
          additionalPrinterColumns: [{ name: "Size", type: "integer", jsonPath: ".spec.size" }],
        },
        {
          name: "v1beta1",
          served: true,
          storage: false,
          schema: { openAPIV3Schema: { type: "object" } },
        },
        {
          name: "v1alpha1",
          served: false,
          storage: false,
          schema: { openAPIV3Schema: { type: "object" } },
        },
      ],
    },
  };
}
