/**
 * The example1 workloads (controllers-spec §8.2), adapted to the resources kcp-lite's
 * `kubernetes` export serves (a Deployment `commond` stands in for the ReplicaSet),
 * written into two workload management workspaces.
 *
 * @module
 */
import { exampleCustomizer, specialWorkload } from "../../../../lib/quickstart/example_workload.ts";
import {
  cronTabCrd,
  cronTabObject,
  named,
  placementC,
  placementS,
} from "../../../e2e/example1_objects.ts";
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
  await ensure(wmw, R.placements, placementC("deployments"));
  if (dests) await putSlice(wmw, "edge-placement-c", dests);
}

/** wmw-s: a CRD and its object, specialstuff, and `edge-placement-s`. */
export async function populateWmwS(wmw: RestClient, dests: Destination[]): Promise<void> {
  await ensure(wmw, R.crds, cronTabCrd());
  await ensure(wmw, R.namespaces, named(specialWorkload(), "Namespace", "specialstuff"));
  const crontabs = {
    group: "stable.example.com",
    version: "v1",
    resource: "crontabs",
    namespace: "specialstuff",
  };
  await eventually("crontabs served", () => ensure(wmw, crontabs, cronTabObject()));
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
  await ensure(
    wmw,
    R.placements,
    placementS({ withApiService: false, withCronTab: true, withSprockets: false }),
  );
  await putSlice(wmw, "edge-placement-s", dests);
}
