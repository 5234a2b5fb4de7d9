/**
 * Differential test: our strategic merge patch against kubectl 1.32's own implementation
 * (`kubectl patch --local --type strategic`, which runs apimachinery's strategicpatch with
 * the real Go type metadata and needs no server).
 */
import { join } from "node:path";
import { assertEquals } from "../../../support/assert.ts";
import { kubeTools } from "../../../support/kube_tools.ts";
import { applyStrategicMergePatch } from "../../../../lib/kube/patch/strategic_merge_patch.ts";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    labels: { app: "web", tier: "front" },
    finalizers: ["a.io/x", "b.io/y"],
    ownerReferences: [
      { apiVersion: "v1", kind: "X", name: "o1", uid: "u1" },
      { apiVersion: "v1", kind: "X", name: "o2", uid: "u2" },
    ],
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          {
            name: "web",
            image: "nginx:1.25",
            ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 81 }],
            env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
          { name: "sidecar", image: "envoy:1" },
          { name: "third", image: "t" },
        ],
        initContainers: [{ name: "init", image: "i" }],
        volumes: [{ name: "data", emptyDir: {} }, { name: "cfg", configMap: { name: "c" } }],
        tolerations: [{ key: "k", operator: "Exists" }],
        imagePullSecrets: [{ name: "s1" }],
      },
    },
  },
};

const service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "svc" },
  spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, name: "https" }] },
};

const cronJob = {
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name: "cj" },
  spec: {
    schedule: "* * * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            containers: [{ name: "a", image: "1", env: [{ name: "X", value: "x" }] }],
          },
        },
      },
    },
  },
};

const clusterRole = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  metadata: { name: "r" },
  rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
};

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: {
    containers: [{ name: "a", image: "1" }],
    hostAliases: [{ ip: "1.2.3.4", hostnames: ["a"] }],
  },
  status: { conditions: [{ type: "Ready", status: "False" }, { type: "Init", status: "True" }] },
};

const podSpecPatch = (spec: unknown) => ({ spec: { template: { spec } } });

const CASES: [string, Record<string, unknown>, unknown][] = [
  ["image by name", deployment, podSpecPatch({ containers: [{ name: "sidecar", image: "e:2" }] })],
  ["new container", deployment, podSpecPatch({ containers: [{ name: "new", image: "b" }] })],
  [
    "env change and add",
    deployment,
    podSpecPatch({
      containers: [{ name: "web", env: [{ name: "B", value: "z" }, { name: "C", value: "3" }] }],
    }),
  ],
  [
    "ports and mounts",
    deployment,
    podSpecPatch({
      containers: [{
        name: "web",
        ports: [{ containerPort: 81, name: "alt" }, { containerPort: 90 }],
        volumeMounts: [{ name: "cfg", mountPath: "/cfg" }],
      }],
    }),
  ],
  [
    "delete container",
    deployment,
    podSpecPatch({ containers: [{ name: "web", $patch: "delete" }] }),
  ],
  [
    "setElementOrder",
    deployment,
    podSpecPatch({
      "$setElementOrder/containers": [{ name: "third" }, { name: "web" }, { name: "sidecar" }],
      containers: [{ name: "web", image: "x" }],
    }),
  ],
  [
    "setElementOrder with a new item",
    deployment,
    podSpecPatch({
      "$setElementOrder/containers": [{ name: "web" }, { name: "new" }],
      containers: [{ name: "new", image: "n" }],
    }),
  ],
  [
    "replace list",
    deployment,
    podSpecPatch({ containers: [{ name: "solo", image: "s" }, { $patch: "replace" }] }),
  ],
  [
    "retainKeys",
    deployment,
    { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
  ],
  [
    "volumes retainKeys by element",
    deployment,
    podSpecPatch({
      volumes: [{ name: "data", $retainKeys: ["name", "hostPath"], hostPath: { path: "/x" } }],
    }),
  ],
  [
    "metadata sets and owners",
    deployment,
    {
      metadata: {
        labels: { tier: null, new: "y" },
        finalizers: ["c.io/z", "a.io/x"],
        "$deleteFromPrimitiveList/finalizers": ["b.io/y"],
        ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o3", uid: "u3" }, {
          uid: "u1",
          $patch: "delete",
        }],
      },
    },
  ],
  [
    "tolerations and pull secrets",
    deployment,
    podSpecPatch({
      tolerations: [{ key: "other", operator: "Exists" }],
      imagePullSecrets: [{ name: "s2" }],
    }),
  ],
  ["map replace", deployment, { spec: { strategy: { $patch: "replace", type: "Recreate" } } }],
  ["map delete", deployment, { spec: { template: { metadata: { $patch: "delete" } } } }],
  ["null removes", deployment, { spec: { replicas: null, strategy: null } }],
  ["service ports", service, { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 8080 }] } }],
  [
    "cronjob containers",
    cronJob,
    {
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ name: "a", env: [{ name: "Y", value: "y" }] }] },
            },
          },
        },
      },
    },
  ],
  ["rbac rules replace", clusterRole, {
    rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
  }],
  [
    "pod conditions and host aliases",
    pod,
    {
      spec: { hostAliases: [{ ip: "5.6.7.8", hostnames: ["b"] }] },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    },
  ],
  ["delete from a missing list", deployment, {
    metadata: { "$deleteFromPrimitiveList/x": ["a"], annotations: { a: "b" } },
  }],
  ["type change map to list", deployment, { spec: { selector: ["odd"] } }],
  [
    "setElementOrder only",
    deployment,
    { metadata: { "$setElementOrder/finalizers": ["b.io/y", "a.io/x"] } },
  ],
  [
    "node addresses and podCIDRs",
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      spec: { podCIDRs: ["10.0.0.0/24"] },
      status: {
        addresses: [{ type: "InternalIP", address: "1.1.1.1" }, { type: "Hostname", address: "n" }],
      },
    },
    {
      spec: { podCIDRs: ["10.0.1.0/24"] },
      status: { addresses: [{ type: "InternalIP", address: "2.2.2.2" }] },
    },
  ],
];

async function kubectlPatch(
  kubectl: string,
  dir: string,
  name: string,
  obj: unknown,
  patch: unknown,
): Promise<unknown> {
  const file = join(dir, `${name.replace(/\W+/g, "_")}.json`);
  await Deno.writeTextFile(file, JSON.stringify(obj));
  const out = await new Deno.Command(kubectl, {
    args: [
      "patch",
      "--local",
      "-f",
      file,
      "--type",
      "strategic",
      "-o",
      "json",
      "-p",
      JSON.stringify(patch),
    ],
    env: { HOME: dir, KUBECONFIG: join(dir, "none") },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(`${name}: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("strategic merge patch agrees with kubectl's implementation", async () => {
  const { kubectl } = await kubeTools();
  const dir = await Deno.makeTempDir({ prefix: "smp-" });
  try {
    const results = await Promise.all(
      CASES.map(([name, obj, patch]) => kubectlPatch(kubectl, dir, name, obj, patch)),
    );
    CASES.forEach(([name, obj, patch], i) => {
      const gk = {
        group: String(obj.apiVersion).split("/").slice(0, -1).join("/"),
        kind: String(obj.kind),
      };
      assertEquals(applyStrategicMergePatch(obj, patch, gk), results[i], name);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
