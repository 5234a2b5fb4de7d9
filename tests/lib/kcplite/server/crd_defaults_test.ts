/**
 * CRD `default:` values on kcp-lite (kube mode): on create and update an absent field
 * gets its schema default (also inside defaulted objects and array items), a given value
 * is kept, a required field may be satisfied by its default, and pruning happens first
 * (an unknown field never survives, even beside defaults).
 *
 * @module
 */
import { assertEquals } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

const json = "application/json";

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gadgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "gadgets", singular: "gadget", kind: "Gadget" },
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            spec: {
              type: "object",
              required: ["mode"],
              properties: {
                replicas: { type: "integer", default: 1 },
                mode: { type: "string", default: "fast" },
                limits: {
                  type: "object",
                  default: {},
                  properties: { cpu: { type: "string", default: "100m" } },
                },
                ports: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      port: { type: "integer" },
                      protocol: { type: "string", default: "TCP" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    }],
  },
};

Deno.test("CRD schema defaults are applied on create and update", async () => {
  const cp = await startKubeCluster();
  try {
    const crd = await request(
      cp,
      "POST",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
      {
        body: JSON.stringify(CRD),
        contentType: json,
      },
    );
    assertEquals(crd.status, 201, JSON.stringify(crd.body));
    const gadgets = "/apis/example.com/v1/namespaces/default/gadgets";
    for (let i = 0; i < 100; i++) {
      if ((await request(cp, "GET", gadgets)).status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const created = await request(cp, "POST", gadgets, {
      body: JSON.stringify({
        apiVersion: "example.com/v1",
        kind: "Gadget",
        metadata: { name: "g1" },
        spec: { replicas: 3, typo: true, ports: [{ port: 80 }, { port: 53, protocol: "UDP" }] },
      }),
      contentType: json,
    });
    assertEquals(created.status, 201, JSON.stringify(created.body));
    const want = {
      replicas: 3,
      mode: "fast",
      limits: { cpu: "100m" },
      ports: [{ port: 80, protocol: "TCP" }, { port: 53, protocol: "UDP" }],
    };
    assertEquals(created.body.spec, want);
    assertEquals((await request(cp, "GET", `${gadgets}/g1`)).body.spec, want);

    const updated = await request(cp, "PUT", `${gadgets}/g1`, {
      body: JSON.stringify({
        apiVersion: "example.com/v1",
        kind: "Gadget",
        metadata: { name: "g1", namespace: "default" },
        spec: { mode: "slow" },
      }),
      contentType: json,
    });
    assertEquals(updated.status, 200, JSON.stringify(updated.body));
    assertEquals(updated.body.spec, { replicas: 1, mode: "slow", limits: { cpu: "100m" } });
  } finally {
    await cp.stop();
  }
});
