/**
 * The workload the quickstart places (controllers-spec §8.7, with the special workload,
 * singleton status and upsync of example1 §8.2): a common web site for every `env=prod`
 * edge cluster and a special one for the `extended=yes` cluster only, both customized
 * per cluster from Location labels. The special placement also downsyncs the Sprocket
 * CRD, so that Sprockets made on the edge cluster can be upsynced (the mailbox must
 * serve a resource before the syncer can upsync it).
 *
 * @module
 */
import { EDGE_API_VERSION } from "../edge/api_types.ts";
import type { KubeObject } from "../kube/rest_client.ts";

const EXPAND = { "edge.kubestellar.io/expand-parameters": "true" };

function page(kind: string): string {
  return `<!DOCTYPE html>\n<html><body>\nThis is a ${kind} web site.\nRunning in %(loc-name).\n</body></html>\n`;
}

function webDeployment(namespace: string, name: string, app: string, hostPort: number) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      namespace,
      name,
      annotations: { "edge.kubestellar.io/customizer": "example-customizer" },
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
            ports: [{ name: "http", containerPort: 80, hostPort, protocol: "TCP" }],
            volumeMounts: [{
              name: "htdocs",
              readOnly: true,
              mountPath: "/usr/local/apache2/htdocs",
            }],
          }],
          volumes: [{ name: "htdocs", configMap: { name: "httpd-htdocs", optional: false } }],
        },
      },
    },
  };
}

/** The `example-customizer` Customizer of a namespace, setting the first env value. */
export function exampleCustomizer(namespace: string, value: string): KubeObject {
  return {
    apiVersion: EDGE_API_VERSION,
    kind: "Customizer",
    metadata: { namespace, name: "example-customizer", annotations: EXPAND },
    replacements: [{ path: "$.spec.template.spec.containers.0.env.0.value", value }],
  };
}

/** The upsync clause both placements carry. */
export const SPROCKETS_UPSYNC = {
  apiGroup: "group1.test",
  resources: ["sprockets", "flanges"],
  namespaces: ["orbital"],
  names: ["george", "cosmo"],
};

/** Objects of the common workload, in creation order. */
export function commonWorkload(): KubeObject[] {
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "commonstuff", labels: { common: "yes" } },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { namespace: "commonstuff", name: "httpd-htdocs", annotations: EXPAND },
      data: { "index.html": page("common") },
    },
    exampleCustomizer("commonstuff", '"env is %(env)"'),
    webDeployment("commonstuff", "commond", "common", 8081),
    {
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
            objectNames: ["*"],
          },
          {
            apiGroup: "apps",
            resources: ["deployments"],
            namespaceSelectors: [{ matchLabels: { common: "yes" } }],
            objectNames: ["commond"],
          },
        ],
        upsync: [SPROCKETS_UPSYNC],
      },
    },
  ];
}

/** Objects of the special workload (for `extended=yes` only, singleton status), in order. */
export function specialWorkload(): KubeObject[] {
  return [
    sprocketCrd(),
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "specialstuff",
        labels: { special: "yes" },
        annotations: { "just-for": "fun" },
      },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { namespace: "specialstuff", name: "httpd-htdocs", annotations: EXPAND },
      data: { "index.html": page("special") },
    },
    exampleCustomizer("specialstuff", '"in %(env) env"'),
    webDeployment("specialstuff", "speciald", "special", 8082),
    {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: "edge-placement-s" },
      spec: {
        locationSelectors: [{ matchLabels: { env: "prod", extended: "yes" } }],
        downsync: [
          { apiGroup: "", resources: ["namespaces"], objectNames: ["specialstuff"] },
          {
            apiGroup: "apiextensions.k8s.io",
            resources: ["customresourcedefinitions"],
            objectNames: ["sprockets.group1.test"],
          },
          {
            apiGroup: "",
            resources: ["configmaps"],
            namespaceSelectors: [{ matchLabels: { special: "yes" } }],
          },
          {
            apiGroup: "apps",
            resources: ["deployments"],
            namespaceSelectors: [{ matchLabels: { special: "yes" } }],
            objectNames: ["speciald"],
          },
        ],
        wantSingletonReportedState: true,
        upsync: [SPROCKETS_UPSYNC],
      },
    },
  ];
}

/** The Sprocket CRD: defined in the WMW and downsynced, so mailbox and WEC both serve it. */
export function sprocketCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "sprockets.group1.test" },
    spec: {
      group: "group1.test",
      names: {
        kind: "Sprocket",
        listKind: "SprocketList",
        plural: "sprockets",
        singular: "sprocket",
      },
      scope: "Namespaced",
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      }],
    },
  };
}

/** What an edge cluster runs that the hub should see: a Sprocket to upsync. */
export function upsyncedObjects(): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "orbital" } },
    {
      apiVersion: "group1.test/v1",
      kind: "Sprocket",
      metadata: { namespace: "orbital", name: "george" },
      spec: { teeth: 42 },
    },
  ];
}
