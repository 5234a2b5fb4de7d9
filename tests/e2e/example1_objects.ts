/**
 * The objects of the example1 acceptance test (controllers-spec §8.2) as manifests for
 * `kubectl apply -f`, and what §8.3 expects in each mailbox's SyncerConfig `the-one`.
 *
 * They reuse the quickstart's example workload (`lib/quickstart/example_workload.ts`);
 * only what example1 states differently (a ReplicaSet `commond`, the CronTab and the
 * APIService, the two EdgePlacements with example1's clauses) is spelled out here.
 *
 * @module
 */
import { EDGE_API_VERSION } from "../../lib/edge/api_types.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import {
  commonWorkload,
  specialWorkload,
  sprocketCrd,
  SPROCKETS_UPSYNC,
} from "../../lib/quickstart/example_workload.ts";

/** The edge clusters of example1 and the labels `ensure location` gives them. */
export const EDGES = {
  florin: ["loc-name=florin", "env=prod"],
  guilder: ["loc-name=guilder", "env=prod", "extended=yes"],
} as const;

/** An edge cluster's name. */
export type EdgeName = keyof typeof EDGES;

/** The upsync clauses of `edge-placement-c` and `edge-placement-s` (§8.2). */
export const UPSYNC_C = [SPROCKETS_UPSYNC, {
  apiGroup: "group2.test",
  resources: ["cogs"],
  names: ["william"],
}];
export const UPSYNC_S = [SPROCKETS_UPSYNC, {
  apiGroup: "group3.test",
  resources: ["widgets"],
  names: ["*"],
}];

/** A copy of the `kind` object `name` among `objects` (a workload of the quickstart). */
export function named(objects: KubeObject[], kind: string, name: string): KubeObject {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`the example workload has no ${kind} ${name}`);
  return structuredClone(o);
}

/** wmw-c (§8.2): commonstuff, its page, customizer, ReplicaSet and `edge-placement-c`. */
export function wmwCObjects(): KubeObject[] {
  const common = commonWorkload();
  const commond = named(common, "Deployment", "commond");
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "commonstuff" } },
    named(common, "ConfigMap", "httpd-htdocs"),
    named(common, "Customizer", "example-customizer"),
    {
      ...commond,
      kind: "ReplicaSet",
      metadata: { ...commond.metadata, labels: { app: "common" } },
    },
    placementC("replicasets"),
  ];
}

/**
 * `edge-placement-c` (§8.2): the page and every `commond` workload object of commonstuff;
 * `workloads` is the resource that runs it (example1's `replicasets`, or `deployments`
 * where a Deployment stands in for the ReplicaSet).
 */
export function placementC(workloads: "replicasets" | "deployments"): KubeObject {
  return {
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
        { apiGroup: "apps", resources: [workloads], namespaces: ["commonstuff"] },
      ],
      wantSingletonReportedState: true,
      upsync: UPSYNC_C,
    },
  };
}

/** The CronTab CRD of wmw-s (§8.2). */
export function cronTabCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "crontabs.stable.example.com" },
    spec: {
      group: "stable.example.com",
      scope: "Namespaced",
      names: {
        plural: "crontabs",
        singular: "crontab",
        kind: "CronTab",
        shortNames: ["ct"],
        categories: ["all"],
      },
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
  };
}

/** The CronTab `my-new-cron-object` of wmw-s (§8.2). */
export function cronTabObject(): KubeObject {
  return {
    apiVersion: "stable.example.com/v1",
    kind: "CronTab",
    metadata: { namespace: "specialstuff", name: "my-new-cron-object" },
    spec: { cronSpec: "* * * * */5", image: "my-awesome-cron-image" },
  };
}

/**
 * `edge-placement-s` (§8.2); `withApiService` (default true) keeps the APIService clause,
 * `withCronTab` the CronTab's, and `withSprockets` adds the Sprocket CRD.
 */
export function placementS(
  opts: { withApiService?: boolean; withCronTab: boolean; withSprockets: boolean },
): KubeObject {
  const special = [{ matchLabels: { special: "yes" } }];
  const downsync: unknown[] = [
    { apiGroup: "", resources: ["configmaps"], namespaceSelectors: special },
    {
      apiGroup: "apps",
      resources: ["deployments"],
      namespaceSelectors: special,
      objectNames: ["speciald"],
    },
  ];
  if (opts.withApiService ?? true) {
    downsync.push({
      apiGroup: "apiregistration.k8s.io",
      resources: ["apiservices"],
      objectNames: ["v1090.example.my"],
    });
  }
  if (opts.withCronTab) {
    downsync.push({
      apiGroup: "stable.example.com",
      resources: ["crontabs"],
      namespaces: ["specialstuff"],
      objectNames: ["my-new-cron-object"],
    });
  }
  downsync.push({ apiGroup: "", resources: ["namespaces"], objectNames: ["specialstuff"] });
  if (opts.withSprockets) {
    downsync.push({
      apiGroup: "apiextensions.k8s.io",
      resources: ["customresourcedefinitions"],
      objectNames: ["sprockets.group1.test"],
    });
  }
  return {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    metadata: { name: "edge-placement-s" },
    spec: {
      locationSelectors: [{ matchLabels: { env: "prod", extended: "yes" } }],
      downsync,
      wantSingletonReportedState: true,
      upsync: UPSYNC_S,
    },
  };
}

/** wmw-s (§8.2) after its CRD: specialstuff, the CronTab, page, customizer, Deployment, APIService, EP. */
export function wmwSObjects(): KubeObject[] {
  const special = specialWorkload();
  return [
    named(special, "Namespace", "specialstuff"),
    cronTabObject(),
    named(special, "ConfigMap", "httpd-htdocs"),
    named(special, "Customizer", "example-customizer"),
    named(special, "Deployment", "speciald"),
    {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: "v1090.example.my" },
      spec: {
        group: "example.my",
        version: "v1090",
        service: { namespace: "my-example", name: "my-service" },
        groupPriorityMinimum: 360,
        versionPriority: 42,
      },
    },
    placementS({ withCronTab: true, withSprockets: false }),
  ];
}

export { sprocketCrd };

interface ConfigEntry {
  group: string;
  resource: string;
  apiVersion: string;
  objects?: string[];
  objectsByNamespace?: { namespace: string; names: string[] }[];
}

/** A SyncerConfig spec in short: sorted `group/resource@version:[ns/]name` lines, clauses. */
export interface ConfigSummary {
  namespaced: string[];
  cluster: string[];
  upsync: string[];
  namespaceScope: unknown;
}

const sortedJson = (o: object) =>
  JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))));

/** Summarizes a SyncerConfig's spec (an absent `namespaceScope` counts as `{}`). */
export function summarizeSyncerConfig(spec: Record<string, unknown>): ConfigSummary {
  const at = (e: ConfigEntry) => `${e.group}/${e.resource}@${e.apiVersion}`;
  const namespaced = ((spec.namespacedObjects ?? []) as ConfigEntry[]).flatMap((e) =>
    (e.objectsByNamespace ?? []).flatMap((g) => g.names.map((n) => `${at(e)}:${g.namespace}/${n}`))
  );
  const cluster = ((spec.clusterScope ?? []) as ConfigEntry[]).flatMap((e) =>
    (e.objects ?? []).map((n) => `${at(e)}:${n}`)
  );
  return {
    namespaced: namespaced.sort(),
    cluster: cluster.sort(),
    upsync: ((spec.upsync ?? []) as object[]).map(sortedJson).sort(),
    namespaceScope: spec.namespaceScope ?? {},
  };
}

/** What §8.3 expects in `the-one` of each mailbox. */
export function expectedSyncerConfig(name: EdgeName): ConfigSummary {
  const common = [
    "/configmaps@v1:commonstuff/httpd-htdocs",
    "apps/replicasets@v1:commonstuff/commond",
  ];
  if (name === "florin") {
    return {
      namespaced: common,
      cluster: [],
      upsync: UPSYNC_C.map(sortedJson).sort(),
      namespaceScope: {},
    };
  }
  return {
    namespaced: [
      ...common,
      "/configmaps@v1:specialstuff/httpd-htdocs",
      "apps/deployments@v1:specialstuff/speciald",
      "stable.example.com/crontabs@v1:specialstuff/my-new-cron-object",
    ].sort(),
    cluster: [
      "/namespaces@v1:specialstuff",
      "apiextensions.k8s.io/customresourcedefinitions@v1:crontabs.stable.example.com",
      "apiregistration.k8s.io/apiservices@v1:v1090.example.my",
    ].sort(),
    upsync: [SPROCKETS_UPSYNC, UPSYNC_C[1], UPSYNC_S[1]].map(sortedJson).sort(),
    namespaceScope: {},
  };
}
