/**
 * Kube mode's defaulting of built-in kinds: unit tests of the defaulters and of the
 * Service address allocation, then real kubectl 1.32 against kcp-lite in kube mode
 * (`create deployment|service|job|cronjob`, `run`) reading the defaults back, keeping the
 * client's own values, and kcp mode leaving a bound Deployment undefaulted.
 *
 * @module
 */
import { assertEquals, assertRejects, assertTrue } from "../../../support/assert.ts";
import { startControlPlane, startKubeCluster } from "../../../support/control_plane.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import {
  admitBuiltinDefaults,
  defaultBuiltinObject,
} from "../../../../lib/kcplite/api/builtin_defaults.ts";
import { imageTag } from "../../../../lib/kcplite/api/builtin_defaults_pod.ts";
import { allocateServiceAddresses } from "../../../../lib/kcplite/api/service_allocation.ts";
import { StatusError } from "../../../../lib/kcplite/api/status_error.ts";
import { builtin } from "../../../../lib/kcplite/api/builtin_def.ts";
import { kubectlSession } from "../kubectl_session.ts";
import { bindExport, createReadyWorkspace } from "../kcp/kubectl_kcp_steps.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

function deployment(extra: Json = {}, container: Json = {}): Json {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.27", ...container }] },
      },
      ...extra,
    },
  };
}

function service(name: string, spec: Json): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec };
}

Deno.test("a Deployment gets the apps/v1 and PodSpec defaults", () => {
  const d = defaultBuiltinObject("apps/deployments", deployment());
  assertEquals(d.spec.replicas, 1);
  assertEquals(d.spec.strategy, {
    type: "RollingUpdate",
    rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
  });
  assertEquals(d.spec.revisionHistoryLimit, 10);
  assertEquals(d.spec.progressDeadlineSeconds, 600);
  const pod = d.spec.template.spec;
  assertEquals(pod.restartPolicy, "Always");
  assertEquals(pod.dnsPolicy, "ClusterFirst");
  assertEquals(pod.terminationGracePeriodSeconds, 30);
  assertEquals(pod.schedulerName, "default-scheduler");
  assertEquals(pod.securityContext, {});
  assertEquals(pod.containers[0].terminationMessagePath, "/dev/termination-log");
  assertEquals(pod.containers[0].terminationMessagePolicy, "File");
  assertEquals(pod.containers[0].imagePullPolicy, "IfNotPresent");
  assertEquals(pod.enableServiceLinks, undefined, "only Pods get enableServiceLinks");
});

Deno.test("defaults never replace what the client set", () => {
  const d = defaultBuiltinObject(
    "apps/deployments",
    deployment({ replicas: 0, strategy: { type: "Recreate" }, revisionHistoryLimit: 2 }, {
      imagePullPolicy: "Never",
      ports: [{ containerPort: 53, protocol: "UDP" }],
    }),
  );
  assertEquals(d.spec.replicas, 0);
  assertEquals(d.spec.strategy, { type: "Recreate" });
  assertEquals(d.spec.revisionHistoryLimit, 2);
  assertEquals(d.spec.template.spec.containers[0].imagePullPolicy, "Never");
  assertEquals(d.spec.template.spec.containers[0].ports, [{ containerPort: 53, protocol: "UDP" }]);
  const partial = defaultBuiltinObject(
    "apps/deployments",
    deployment({ strategy: { rollingUpdate: { maxSurge: 3 } } }),
  );
  assertEquals(partial.spec.strategy.rollingUpdate, { maxSurge: 3, maxUnavailable: "25%" });
});

Deno.test("image pull policy follows the tag; containers, volumes and probes are defaulted", () => {
  assertEquals(imageTag("nginx"), "latest");
  assertEquals(imageTag("registry:5000/team/app"), "latest");
  assertEquals(imageTag("registry:5000/team/app:v2"), "v2");
  assertEquals(imageTag("app@sha256:abc"), "");
  const pod = defaultBuiltinObject("/pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default" },
    spec: {
      restartPolicy: "OnFailure",
      initContainers: [{ name: "init", image: "busybox:latest" }],
      containers: [{
        name: "main",
        image: "app@sha256:abc",
        ports: [{ containerPort: 80 }],
        env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
        readinessProbe: { httpGet: { port: 80 } },
        resources: { limits: { cpu: "1" } },
      }],
      volumes: [
        { name: "scratch" },
        { name: "s", secret: { secretName: "x" } },
        { name: "c", configMap: { name: "x", defaultMode: 256 } },
        { name: "d", downwardAPI: { items: [{ path: "n", fieldRef: { fieldPath: "x" } }] } },
        { name: "p", projected: { sources: [{ serviceAccountToken: { path: "t" } }] } },
        { name: "h", hostPath: { path: "/tmp" } },
      ],
    },
  }) as Json;
  const spec = pod.spec;
  assertEquals(spec.restartPolicy, "OnFailure");
  assertEquals(spec.enableServiceLinks, true);
  assertEquals(spec.initContainers[0].imagePullPolicy, "Always");
  const main = spec.containers[0];
  assertEquals(main.imagePullPolicy, "IfNotPresent");
  assertEquals(main.ports, [{ containerPort: 80, protocol: "TCP" }]);
  assertEquals(main.env[0].valueFrom.fieldRef, { fieldPath: "spec.nodeName", apiVersion: "v1" });
  assertEquals(main.readinessProbe, {
    httpGet: { port: 80, path: "/", scheme: "HTTP" },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assertEquals(main.resources, { limits: { cpu: "1" }, requests: { cpu: "1" } });
  const [scratch, s, c, d, p, h] = spec.volumes;
  assertEquals(scratch, { name: "scratch", emptyDir: {} });
  assertEquals(s.secret.defaultMode, 420);
  assertEquals(c.configMap.defaultMode, 256);
  assertEquals(d.downwardAPI.defaultMode, 420);
  assertEquals(d.downwardAPI.items[0].fieldRef.apiVersion, "v1");
  assertEquals(p.projected.defaultMode, 420);
  assertEquals(p.projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
  assertEquals(h.hostPath, { path: "/tmp", type: "" });
});

Deno.test("StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Secret defaults", () => {
  const template = { spec: { containers: [{ name: "c", image: "busybox:1" }] } };
  const sts = defaultBuiltinObject("apps/statefulsets", { spec: { template } } as Json) as Json;
  assertEquals(sts.spec.replicas, 1);
  assertEquals(sts.spec.podManagementPolicy, "OrderedReady");
  assertEquals(sts.spec.updateStrategy, { type: "RollingUpdate", rollingUpdate: { partition: 0 } });
  assertEquals(sts.spec.revisionHistoryLimit, 10);
  assertEquals(sts.spec.persistentVolumeClaimRetentionPolicy, {
    whenDeleted: "Retain",
    whenScaled: "Retain",
  });
  const ds = defaultBuiltinObject("apps/daemonsets", { spec: { template } } as Json) as Json;
  assertEquals(ds.spec.updateStrategy, {
    type: "RollingUpdate",
    rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
  });
  assertEquals(ds.spec.revisionHistoryLimit, 10);
  const rs = defaultBuiltinObject("apps/replicasets", { spec: {} } as Json) as Json;
  assertEquals(rs.spec.replicas, 1);
  const job = defaultBuiltinObject("batch/jobs", { metadata: { name: "j" }, spec: {} } as Json);
  assertEquals((job as Json).spec, {
    completions: 1,
    parallelism: 1,
    backoffLimit: 6,
    completionMode: "NonIndexed",
    suspend: false,
    podReplacementPolicy: "TerminatingOrFailed",
  });
  const parallel = defaultBuiltinObject("batch/jobs", { spec: { parallelism: 3 } } as Json);
  assertEquals((parallel as Json).spec.completions, undefined, "completions stay unset");
  const cron = defaultBuiltinObject("batch/cronjobs", {
    spec: { schedule: "* * * * *", jobTemplate: { spec: { template } } },
  } as Json) as Json;
  assertEquals(cron.spec.concurrencyPolicy, "Allow");
  assertEquals(cron.spec.suspend, false);
  assertEquals(cron.spec.successfulJobsHistoryLimit, 3);
  assertEquals(cron.spec.failedJobsHistoryLimit, 1);
  assertEquals(cron.spec.jobTemplate.spec.backoffLimit, undefined, "a job template is no Job");
  assertEquals(cron.spec.jobTemplate.spec.template.spec.dnsPolicy, "ClusterFirst");
  assertEquals((defaultBuiltinObject("/secrets", {}) as Json).type, "Opaque");
  const cm = defaultBuiltinObject("/configmaps", { data: { a: "b" } } as Json);
  assertEquals(cm, { data: { a: "b" } });
});

Deno.test("Service defaults and address allocation", async () => {
  const stored: KubeObject[] = [];
  const svc = defaultBuiltinObject("/services", service("a", { ports: [{ port: 80 }] })) as Json;
  allocateServiceAddresses(svc, undefined, () => stored);
  assertEquals(svc.spec.type, "ClusterIP");
  assertEquals(svc.spec.sessionAffinity, "None");
  assertEquals(svc.spec.ports, [{ port: 80, protocol: "TCP", targetPort: 80 }]);
  assertEquals(svc.spec.internalTrafficPolicy, "Cluster");
  assertEquals(svc.spec.ipFamilyPolicy, "SingleStack");
  assertEquals(svc.spec.ipFamilies, ["IPv4"]);
  assertEquals(svc.spec.clusterIPs, [svc.spec.clusterIP]);
  assertTrue(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/.test(svc.spec.clusterIP));
  stored.push(svc);

  const np = service("b", { type: "NodePort", ports: [{ port: 80 }, { port: 443 }] }) as Json;
  admitBuiltinDefaults(
    { operation: "CREATE", def: builtin(SERVICES), object: np },
    () => stored,
  );
  assertTrue(np.spec.clusterIP !== svc.spec.clusterIP, "cluster IPs are unique");
  assertEquals(np.spec.externalTrafficPolicy, "Cluster");
  const [p1, p2] = np.spec.ports.map((p: Json) => p.nodePort);
  assertTrue(p1 >= 30000 && p1 <= 32767 && p2 >= 30000 && p2 <= 32767 && p1 !== p2);
  stored.push(np);

  const headless = service("h", { clusterIP: "None", selector: { app: "x" } }) as Json;
  admitBuiltinDefaults(
    { operation: "CREATE", def: builtin(SERVICES), object: headless },
    () => stored,
  );
  assertEquals(headless.spec.clusterIP, "None");
  assertEquals(headless.spec.clusterIPs, ["None"]);

  const clash = service("c", { type: "NodePort", ports: [{ port: 1, nodePort: p1 }] });
  const e = await assertRejects(
    () =>
      admitBuiltinDefaults(
        { operation: "CREATE", def: builtin(SERVICES), object: clash },
        () => stored,
      ),
    /provided port is already allocated/,
  );
  assertEquals((e as StatusError).code, 422);
  const ipClash = service("d", { type: "ClusterIP", clusterIP: svc.spec.clusterIP });
  await assertRejects(
    () => allocateServiceAddresses(ipClash, undefined, () => stored),
    /provided IP is already allocated/,
  );

  // an update without the allocated values keeps them; ClusterIP drops the node ports
  const update = service("b", { type: "NodePort", ports: [{ port: 80 }, { port: 443 }] }) as Json;
  admitBuiltinDefaults(
    { operation: "UPDATE", def: builtin(SERVICES), object: update, oldObject: np },
    () => stored,
  );
  assertEquals(update.spec.clusterIP, np.spec.clusterIP);
  assertEquals(update.spec.ports.map((p: Json) => p.nodePort), [p1, p2]);
  const toClusterIp = structuredClone(np);
  toClusterIp.spec.type = "ClusterIP";
  delete toClusterIp.spec.externalTrafficPolicy;
  allocateServiceAddresses(toClusterIp, np, () => stored);
  assertEquals(toClusterIp.spec.ports.map((p: Json) => p.nodePort), [undefined, undefined]);
});

const SERVICES = { version: "v1", resource: "services", kind: "Service", namespaced: true };

Deno.test("kcp-mode style requests are left alone: status writes and non-built-ins", () => {
  const d = deployment();
  admitBuiltinDefaults({
    operation: "UPDATE",
    def: builtin({ ...SERVICES, group: "apps", resource: "deployments", kind: "Deployment" }),
    object: d,
    subresource: "status",
  }, () => []);
  assertEquals(d.spec.replicas, undefined);
  const crdDef = {
    ...builtin({
      group: "apps",
      version: "v1",
      resource: "deployments",
      kind: "Deployment",
      namespaced: true,
    }),
    source: "crd" as const,
  };
  admitBuiltinDefaults({ operation: "CREATE", def: crdDef, object: d }, () => []);
  assertEquals(d.spec.replicas, undefined);
});

Deno.test("kubectl 1.32 against kube mode: the stored objects carry the defaults", async (t) => {
  const cp = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "kubectl-defaults-" });
  const { ok } = kubectlSession(cp, home);
  const get = async (...args: string[]): Promise<Json> =>
    JSON.parse(await ok(["get", ...args, "-o", "json"]));
  try {
    await t.step("create deployment", async () => {
      await ok(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3"]);
      const d = await get("deployment", "web");
      assertEquals(d.spec.replicas, 3, "the client's replicas are kept");
      assertEquals(d.spec.strategy.rollingUpdate, { maxSurge: "25%", maxUnavailable: "25%" });
      assertEquals(d.spec.progressDeadlineSeconds, 600);
      assertEquals(d.spec.revisionHistoryLimit, 10);
      const pod = d.spec.template.spec;
      assertEquals(pod.restartPolicy, "Always");
      assertEquals(pod.schedulerName, "default-scheduler");
      assertEquals(pod.containers[0].imagePullPolicy, "IfNotPresent");
      assertEquals(pod.containers[0].terminationMessagePath, "/dev/termination-log");
    });
    await t.step("create service clusterip and nodeport", async () => {
      await ok(["create", "service", "clusterip", "web", "--tcp=80:8080"]);
      await ok(["create", "service", "nodeport", "edge", "--tcp=443"]);
      await ok(["create", "service", "clusterip", "db", "--clusterip=None", "--tcp=5432"]);
      const web = await get("service", "web");
      assertEquals(web.spec.type, "ClusterIP");
      assertEquals(web.spec.sessionAffinity, "None");
      assertEquals(web.spec.ports[0].targetPort, 8080, "the client's targetPort is kept");
      assertEquals(web.spec.ipFamilies, ["IPv4"]);
      assertTrue(web.spec.clusterIP.startsWith("10."), web.spec.clusterIP);
      const edge = await get("service", "edge");
      assertEquals(edge.spec.externalTrafficPolicy, "Cluster");
      assertTrue(edge.spec.clusterIP !== web.spec.clusterIP);
      const nodePort = edge.spec.ports[0].nodePort;
      assertTrue(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
      assertEquals((await get("service", "db")).spec.clusterIP, "None");
      // an update (label) keeps the allocated addresses
      await ok(["label", "service", "edge", "tier=front"]);
      const relabelled = await get("service", "edge");
      assertEquals(relabelled.spec.clusterIP, edge.spec.clusterIP);
      assertEquals(relabelled.spec.ports[0].nodePort, nodePort);
    });
    await t.step("create job and cronjob", async () => {
      await ok(["create", "job", "once", "--image=busybox", "--", "true"]);
      const job = await get("job", "once");
      assertEquals(job.spec.backoffLimit, 6);
      assertEquals(job.spec.completions, 1);
      assertEquals(job.spec.completionMode, "NonIndexed");
      assertEquals(job.spec.template.spec.restartPolicy, "Never", "the client's policy is kept");
      assertEquals(job.spec.template.spec.containers[0].imagePullPolicy, "Always");
      await ok(["create", "cronjob", "tick", "--image=busybox:1", "--schedule=* * * * *"]);
      const cron = await get("cronjob", "tick");
      assertEquals(cron.spec.concurrencyPolicy, "Allow");
      assertEquals(cron.spec.successfulJobsHistoryLimit, 3);
      assertEquals(cron.spec.failedJobsHistoryLimit, 1);
      assertEquals(cron.spec.jobTemplate.spec.template.spec.dnsPolicy, "ClusterFirst");
    });
    await t.step("run", async () => {
      await ok(["run", "shell", "--image=busybox:1", "--port=8080", "--", "sleep", "1"]);
      const pod = await get("pod", "shell");
      assertEquals(pod.spec.enableServiceLinks, true);
      assertEquals(pod.spec.terminationGracePeriodSeconds, 30);
      assertEquals(pod.spec.containers[0].ports, [{ containerPort: 8080, protocol: "TCP" }]);
    });
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("kcp mode does not default a bound Deployment", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return; // kcp-lite's own behaviour
  const cp = await startControlPlane();
  const home = await Deno.makeTempDir({ prefix: "kubectl-kcp-defaults-" });
  const k = kubectlSession(cp, home);
  const inWmw = ["--server", `${cp.url}/clusters/root:wmw`];
  try {
    await createReadyWorkspace(k, "wmw");
    await bindExport(k, inWmw, "root:compute", "kubernetes");
    await k.until([...inWmw, "get", "deployments", "-n", "default", "-o", "name"], "");
    await k.ok([...inWmw, "create", "-f", "-"], JSON.stringify(deployment()));
    const d = JSON.parse(
      await k.ok([...inWmw, "get", "deployment", "web", "-n", "default", "-o", "json"]),
    );
    assertEquals(d.spec.replicas, undefined);
    assertEquals(d.spec.strategy, undefined);
    assertEquals(d.spec.template.spec.dnsPolicy, undefined);
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
