/**
 * The example1 workloads (controllers-spec §8.2), adapted to the resources kcp-lite's
 * `kubernetes` export serves (a Deployment `commond` stands in for the ReplicaSet),
 * written into two workload management workspaces.
 *
 * @module
 */
import { EDGE_API_VERSION } from "../../../../lib/edge/api_types.ts";
import { exampleCustomizer } from "../../../../lib/quickstart/example_workload.ts";
import type { KubeObject, RestClient } from "../../../../lib/kube/rest_client.ts";
import { type Destination, ensure, eventually, putSlice, R } from "./translator_fixture.ts";

const EXPAND = { "edge.kubestellar.io/expand-parameters": "true" };

/** A Deployment running httpd with one env var (customized per destination). */
export function deployment(ns: string, name: string, app: string, customizer?: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      namespace: ns,
      name,
      labels: { app },
      ...(customizer ? { annotations: { "edge.kubestellar.io/customizer": customizer } } : {}),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          containers: [{
            name: "httpd",
            image: "library/httpd:2.4",
            env: [{ name: "EXAMPLE_VAR", value: "example value" }],
            ports: [{ containerPort: 80, hostPort: 8081 }],
          }],
        },
      },
    },
  };
}

/** A ConfigMap whose page names the Location it runs in. */
export function htdocs(ns: string, site: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { namespace: ns, name: "httpd-htdocs", annotations: EXPAND },
    data: { "index.html": `This is a ${site} web site. Running in %(loc-name).` },
  };
}

/** A Customizer setting the first env var's value. */
export const customizer = exampleCustomizer;

const UPSYNC_1 = {
  apiGroup: "group1.test",
  resources: ["sprockets", "flanges"],
  namespaces: ["orbital"],
  names: ["george", "cosmo"],
};

/**
 * wmw-c: commonstuff and `edge-placement-c` (all prod locations); its slice names
 * `dests` unless they are undefined (a where-resolver writes it).
 */
export async function populateWmwC(
  wmw: RestClient,
  dests: Destination[] | undefined,
): Promise<void> {
  await ensure(wmw, R.namespaces, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "commonstuff" },
  });
  await ensure(wmw, { ...R.configmaps, namespace: "commonstuff" }, htdocs("commonstuff", "common"));
  await ensure(
    wmw,
    { ...R.customizers, namespace: "commonstuff" },
    customizer("commonstuff", '"env is %(env)"'),
  );
  await ensure(
    wmw,
    { ...R.deployments, namespace: "commonstuff" },
    deployment("commonstuff", "commond", "common", "example-customizer"),
  );
  await ensure(wmw, R.placements, {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    metadata: { name: "edge-placement-c" },
    spec: {
      locationSelectors: [{ matchLabels: { env: "prod" } }],
      downsync: [
        {
          apiGroup: "",
          resources: ["configmaps"],
          namespaces: ["commonstuff"],
          objectNames: ["httpd-htdocs"],
        },
        { apiGroup: "apps", resources: ["deployments"], namespaces: ["commonstuff"] },
      ],
      wantSingletonReportedState: true,
      upsync: [UPSYNC_1, { apiGroup: "group2.test", resources: ["cogs"], names: ["william"] }],
    },
  });
  if (dests) await putSlice(wmw, "edge-placement-c", dests);
}

/** wmw-s: a CRD and its object, specialstuff, and `edge-placement-s`. */
export async function populateWmwS(wmw: RestClient, dests: Destination[]): Promise<void> {
  await ensure(wmw, R.crds, {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "crontabs.stable.example.com" },
    spec: {
      group: "stable.example.com",
      scope: "Namespaced",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", shortNames: ["ct"] },
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
                properties: { cronSpec: { type: "string" }, image: { type: "string" } },
              },
            },
          },
        },
      }],
    },
  });
  await ensure(wmw, R.namespaces, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: "specialstuff",
      labels: { special: "yes" },
      annotations: { "just-for": "fun" },
    },
  });
  const crontabs = {
    group: "stable.example.com",
    version: "v1",
    resource: "crontabs",
    namespace: "specialstuff",
  };
  await eventually("crontabs served", () =>
    ensure(wmw, crontabs, {
      apiVersion: "stable.example.com/v1",
      kind: "CronTab",
      metadata: { namespace: "specialstuff", name: "my-new-cron-object" },
      spec: { cronSpec: "* * * * */5", image: "my-awesome-cron-image" },
    }));
  await ensure(
    wmw,
    { ...R.configmaps, namespace: "specialstuff" },
    htdocs("specialstuff", "special"),
  );
  await ensure(
    wmw,
    { ...R.customizers, namespace: "specialstuff" },
    customizer("specialstuff", '"in %(env) env"'),
  );
  await ensure(
    wmw,
    { ...R.deployments, namespace: "specialstuff" },
    deployment("specialstuff", "speciald", "special", "example-customizer"),
  );
  const special = [{ matchLabels: { special: "yes" } }];
  await ensure(wmw, R.placements, {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    metadata: { name: "edge-placement-s" },
    spec: {
      locationSelectors: [{ matchLabels: { env: "prod", extended: "yes" } }],
      downsync: [
        { apiGroup: "", resources: ["configmaps"], namespaceSelectors: special },
        {
          apiGroup: "apps",
          resources: ["deployments"],
          namespaceSelectors: special,
          objectNames: ["speciald"],
        },
        {
          apiGroup: "stable.example.com",
          resources: ["crontabs"],
          namespaces: ["specialstuff"],
          objectNames: ["my-new-cron-object"],
        },
        { apiGroup: "", resources: ["namespaces"], objectNames: ["specialstuff"] },
      ],
      wantSingletonReportedState: true,
      upsync: [UPSYNC_1, { apiGroup: "group3.test", resources: ["widgets"], names: ["*"] }],
    },
  });
  await putSlice(wmw, "edge-placement-s", dests);
}
