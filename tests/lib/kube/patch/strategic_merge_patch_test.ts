import { assertEquals, assertRejects, assertTrue } from "../../../support/assert.ts";
import {
  applyStrategicMergePatch,
  PatchError,
  supportsStrategicMerge,
} from "../../../../lib/kube/patch/strategic_merge_patch.ts";
import { listStrategy } from "../../../../lib/kube/patch/merge_keys.ts";

const DEPLOY = { group: "apps", kind: "Deployment" };

function deployment() {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      labels: { app: "web", tier: "front" },
      finalizers: ["a.io/x", "b.io/y"],
      ownerReferences: [{ uid: "u1", name: "o1", kind: "X" }],
    },
    spec: {
      replicas: 2,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:1.25",
              ports: [{ containerPort: 80, protocol: "TCP" }],
              env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
            },
            { name: "sidecar", image: "envoy:1" },
          ],
          volumes: [{ name: "data", emptyDir: {} }],
          tolerations: [{ key: "k", operator: "Exists" }],
        },
      },
    },
  };
}

function spec(obj: unknown) {
  // deno-lint-ignore no-explicit-any
  return (obj as any).spec.template.spec;
}

function patched(patch: unknown) {
  return applyStrategicMergePatch(deployment(), patch, DEPLOY);
}

Deno.test("change one container's image by name; the rest is kept", () => {
  const out = patched({
    spec: { template: { spec: { containers: [{ name: "sidecar", image: "envoy:2" }] } } },
  });
  const want = deployment();
  want.spec.template.spec.containers[1].image = "envoy:2";
  assertEquals(out, want);
});

Deno.test("add an env var and a port; merge keys name and containerPort", () => {
  const out = patched({
    spec: {
      template: {
        spec: {
          containers: [{
            name: "web",
            env: [{ name: "B", value: "changed" }, { name: "C", value: "3" }],
            ports: [{ containerPort: 443 }],
          }],
        },
      },
    },
  });
  const web = spec(out).containers[0];
  assertEquals(web.env, [{ name: "A", value: "1" }, { name: "B", value: "changed" }, {
    name: "C",
    value: "3",
  }]);
  assertEquals(web.ports, [{ containerPort: 443 }, { containerPort: 80, protocol: "TCP" }]);
  assertEquals(web.image, "nginx:1.25");
  assertEquals(spec(out).containers[1], { name: "sidecar", image: "envoy:1" });
});

Deno.test("a new container is placed before the ones the patch did not name", () => {
  const out = patched({
    spec: { template: { spec: { containers: [{ name: "new", image: "busybox" }] } } },
  });
  assertEquals(spec(out).containers.map((c: { name: string }) => c.name), [
    "new",
    "web",
    "sidecar",
  ]);
});

Deno.test("$patch: delete removes a container; null removes a key", () => {
  const out = patched({
    metadata: { labels: { tier: null } },
    spec: {
      replicas: null,
      template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } },
    },
  });
  // deno-lint-ignore no-explicit-any
  const o = out as any;
  assertEquals(o.metadata.labels, { app: "web" });
  assertTrue(!("replicas" in o.spec));
  assertEquals(spec(out).containers.map((c: { name: string }) => c.name), ["web"]);
});

Deno.test("$setElementOrder orders the merged list", () => {
  const out = patched({
    spec: {
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "sidecar" }, { name: "web" }],
          containers: [{ name: "web", image: "nginx:1.27" }],
        },
      },
    },
  });
  assertEquals(spec(out).containers.map((c: { name: string; image: string }) => c.image), [
    "envoy:1",
    "nginx:1.27",
  ]);
  const env = patched({
    spec: {
      template: {
        spec: {
          containers: [{
            name: "web",
            "$setElementOrder/env": [{ name: "B" }, { name: "A" }],
          }],
        },
      },
    },
  });
  assertEquals(spec(env).containers[0].env, [{ name: "B", value: "2" }, { name: "A", value: "1" }]);
});

Deno.test("$retainKeys drops the keys not listed (Recreate strategy)", () => {
  const out = patched({
    spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } },
  });
  // deno-lint-ignore no-explicit-any
  assertEquals((out as any).spec.strategy, { type: "Recreate" });
});

Deno.test("$patch: replace on a map and in a list", () => {
  const map = patched({ spec: { strategy: { $patch: "replace", type: "Recreate" } } });
  // deno-lint-ignore no-explicit-any
  assertEquals((map as any).spec.strategy, { type: "Recreate" });
  const list = patched({
    spec: {
      template: { spec: { containers: [{ name: "only", image: "x" }, { $patch: "replace" }] } },
    },
  });
  assertEquals(spec(list).containers, [{ name: "only", image: "x" }]);
  const whole = applyStrategicMergePatch({ a: 1, b: 2 }, { $patch: "replace", c: 3 }, DEPLOY);
  assertEquals(whole, { c: 3 });
  const merge = applyStrategicMergePatch({ a: 1 }, { $patch: "merge", c: 3 }, DEPLOY);
  assertEquals(merge, { a: 1, c: 3 });
  const del = applyStrategicMergePatch({ spec: { x: 1 } }, { spec: { $patch: "delete" } }, DEPLOY);
  assertEquals(del, { spec: {} });
});

Deno.test("sets: finalizers union, $deleteFromPrimitiveList; replaced lists", () => {
  const out = patched({
    metadata: {
      finalizers: ["c.io/z", "a.io/x"],
      "$deleteFromPrimitiveList/finalizers": ["b.io/y"],
      ownerReferences: [{ uid: "u2", name: "o2", kind: "Y" }],
    },
    spec: { template: { spec: { tolerations: [{ key: "other", operator: "Exists" }] } } },
  });
  // deno-lint-ignore no-explicit-any
  const o = out as any;
  assertEquals(o.metadata.finalizers, ["c.io/z", "a.io/x"]);
  assertEquals(o.metadata.ownerReferences.map((r: { uid: string }) => r.uid), ["u2", "u1"]);
  assertEquals(spec(out).tolerations, [{ key: "other", operator: "Exists" }]);
  const kept = patched({ metadata: { finalizers: ["c.io/z"] } });
  // deno-lint-ignore no-explicit-any
  assertEquals((kept as any).metadata.finalizers, ["c.io/z", "a.io/x", "b.io/y"]);
});

Deno.test("new content from the patch has directives processed and nulls dropped", () => {
  const out = applyStrategicMergePatch(
    { metadata: { name: "p" } },
    {
      spec: {
        containers: [{ name: "a", env: [{ name: "X", value: null }], image: "i" }],
        nodeSelector: { gone: null, kept: "y" },
      },
    },
    { group: "", kind: "Pod" },
  );
  assertEquals(out, {
    metadata: { name: "p" },
    spec: {
      containers: [{ name: "a", env: [{ name: "X" }], image: "i" }],
      nodeSelector: { kept: "y" },
    },
  });
});

Deno.test("CronJob, Service, Pod and RBAC paths", () => {
  const cron = applyStrategicMergePatch(
    {
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ name: "a", image: "1" }, { name: "b", image: "1" }] },
            },
          },
        },
      },
    },
    {
      spec: {
        jobTemplate: { spec: { template: { spec: { containers: [{ name: "b", image: "2" }] } } } },
      },
    },
    { group: "batch", kind: "CronJob" },
  );
  // deno-lint-ignore no-explicit-any
  assertEquals((cron as any).spec.jobTemplate.spec.template.spec.containers, [
    { name: "a", image: "1" },
    { name: "b", image: "2" },
  ]);
  const svc = applyStrategicMergePatch(
    { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
    { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    { group: "", kind: "Service" },
  );
  // deno-lint-ignore no-explicit-any
  assertEquals((svc as any).spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  const role = applyStrategicMergePatch(
    { rules: [{ verbs: ["get"], resources: ["pods"] }, { verbs: ["list"], resources: ["x"] }] },
    { rules: [{ verbs: ["*"], resources: ["*"] }] },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  );
  assertEquals(role, { rules: [{ verbs: ["*"], resources: ["*"] }] });
  const status = applyStrategicMergePatch(
    { status: { conditions: [{ type: "Ready", status: "False" }, { type: "X", status: "True" }] } },
    { status: { conditions: [{ type: "Ready", status: "True" }] } },
    { group: "", kind: "Pod" },
  );
  // deno-lint-ignore no-explicit-any
  assertEquals((status as any).status.conditions, [{ type: "Ready", status: "True" }, {
    type: "X",
    status: "True",
  }]);
});

Deno.test("inputs are never mutated", () => {
  const original = deployment();
  const patch = {
    spec: {
      strategy: { $retainKeys: ["type"], type: "Recreate" },
      template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } },
    },
  };
  const before = [JSON.stringify(original), JSON.stringify(patch)];
  applyStrategicMergePatch(original, patch, DEPLOY);
  assertEquals([JSON.stringify(original), JSON.stringify(patch)], before);
});

Deno.test("malformed directives throw PatchError", async () => {
  const cases: [unknown, RegExp][] = [
    [{ spec: { $patch: "frob" } }, /unknown patch type: frob in map/],
    [
      { spec: { template: { spec: { containers: [{ image: "x" }] } } } },
      /does not contain declared merge key: name/,
    ],
    [
      { spec: { template: { spec: { containers: [{ $patch: "delete" }] } } } },
      /does not contain declared merge key: name/,
    ],
    [
      { spec: { template: { spec: { containers: [{ name: "web", $patch: "x" }] } } } },
      /unknown patch type: x/,
    ],
    [{ spec: { strategy: { $retainKeys: "type" } } }, /invalid patch format of retainKeys/],
    [
      { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: {} } } },
      /invalid patch format of retainKeys/,
    ],
    [{ metadata: { "$setElementOrder/finalizers": "x" } }, /must be a list/],
    [
      { spec: { template: { spec: { "$setElementOrder/containers": ["web"] } } } },
      /does not contain declared merge key/,
    ],
    [{ $frob: 1 }, /unknown strategic merge patch directive "\$frob"/],
    [[1], /must be a JSON object/],
  ];
  for (const [patch, re] of cases) {
    const e = await assertRejects(() => applyStrategicMergePatch(deployment(), patch, DEPLOY), re);
    assertTrue(e instanceof PatchError);
  }
});

Deno.test("supportsStrategicMerge and listStrategy", () => {
  assertTrue(supportsStrategicMerge({ group: "", kind: "ConfigMap" }));
  assertTrue(supportsStrategicMerge({ group: "apps", kind: "Deployment" }));
  assertTrue(supportsStrategicMerge({ group: "rbac.authorization.k8s.io", kind: "Role" }));
  assertTrue(supportsStrategicMerge({ group: "networking.k8s.io", kind: "Ingress" }));
  assertTrue(!supportsStrategicMerge({ group: "edge.kubestellar.io", kind: "EdgePlacement" }));
  assertTrue(!supportsStrategicMerge({ group: "tenancy.kcp.io", kind: "Workspace" }));
  const pod = { group: "", kind: "Pod" };
  assertEquals(listStrategy(pod, ["spec", "containers", "volumeMounts"]), {
    strategy: "merge",
    key: "mountPath",
  });
  assertEquals(listStrategy(pod, ["spec", "containers", "envFrom"]), { strategy: "replace" });
  assertEquals(listStrategy(pod, ["spec", "hostAliases"]), { strategy: "merge", key: "ip" });
  assertEquals(listStrategy(DEPLOY, ["spec", "template", "spec", "initContainers", "env"]), {
    strategy: "merge",
    key: "name",
  });
  assertEquals(listStrategy({ group: "", kind: "ConfigMap" }, ["metadata", "finalizers"]), {
    strategy: "set",
  });
  assertEquals(listStrategy({ group: "", kind: "Secret" }, ["data", "x"]), { strategy: "replace" });
});

Deno.test("mixed lists and __proto__ keys are handled safely", async () => {
  await assertRejects(
    () => patched({ spec: { template: { spec: { containers: [null, { name: "web" }] } } } }),
    /mixes maps and other values/,
  );
  const out = applyStrategicMergePatch(
    {},
    JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}'),
    DEPLOY,
  ) as Record<string, Record<string, unknown>>;
  assertEquals(Object.getPrototypeOf(out.metadata), Object.prototype);
  assertEquals(Object.keys(out.metadata), ["__proto__"]);
  assertEquals(({} as Record<string, unknown>).polluted, undefined);
});
