/**
 * The quickstart's checks of the outcome, as a person would check it with kubectl: the
 * objects on each edge cluster (customized per cluster), the special workload only where
 * it belongs, status returned to the workload management workspace, and an object
 * created on an edge cluster showing up in its mailbox.
 *
 * @module
 */
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import { applyObjects } from "../kube/apply_objects.ts";
import type { KcpLite } from "../kcplite/kcp_lite_server.ts";
import type { Show } from "./step_runner.ts";
import { runToolkit, type ToolkitEnvironment } from "./toolkit_runner.ts";
import { waitUntil } from "./wait_until.ts";

type Wecs = Map<string, { server: KcpLite; client: RestClient }>;

const DEPLOYMENTS = { group: "apps", version: "v1", resource: "deployments" };
const CONFIGMAPS = { version: "v1", resource: "configmaps" };
const NAMESPACES = { version: "v1", resource: "namespaces" };

async function getOrUndefined(client: RestClient, ref: Parameters<RestClient["get"]>[0]) {
  try {
    return await client.get<KubeObject>(ref);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

// deno-lint-ignore no-explicit-any
function envValue(deployment: any): string | undefined {
  return deployment?.spec?.template?.spec?.containers?.[0]?.env?.[0]?.value;
}

async function expectWorkload(
  client: RestClient,
  namespace: string,
  name: string,
  cluster: string,
  env: string,
  show: Show,
): Promise<void> {
  await waitUntil(`${namespace}/${name} on ${cluster}`, async () => {
    const d = await getOrUndefined(client, { ...DEPLOYMENTS, namespace, name });
    if (!d) return `deployment ${namespace}/${name} not there yet`;
    if (envValue(d) !== env) return `EXAMPLE_VAR is ${JSON.stringify(envValue(d))}`;
    const cm = await getOrUndefined(client, { ...CONFIGMAPS, namespace, name: "httpd-htdocs" });
    const html = (cm?.data as Record<string, string> | undefined)?.["index.html"] ?? "";
    if (!html.includes(`Running in ${cluster}.`)) return "the web page is not expanded yet";
    return true;
  });
  show(
    `${cluster}: deployment ${namespace}/${name}, EXAMPLE_VAR="${env}", page "Running in ${cluster}."`,
  );
}

/** Waits for every workload on the clusters it belongs to, and none elsewhere. */
export async function checkEdgeResults(wecs: Wecs, show: Show): Promise<void> {
  for (const [name, wec] of wecs) {
    await expectWorkload(wec.client, "commonstuff", "commond", name, "env is prod", show);
  }
  await expectWorkload(
    wecs.get("guilder")!.client,
    "specialstuff",
    "speciald",
    "guilder",
    "in prod env",
    show,
  );
  const florin = wecs.get("florin")!.client;
  if (await getOrUndefined(florin, { ...NAMESPACES, name: "specialstuff" })) {
    throw new Error("florin got namespace specialstuff, which only extended=yes clusters select");
  }
  show("florin: no specialstuff (its Location lacks extended=yes), as intended");
}

/** Plays kubelet on guilder, then checks status return and upsync. */
export async function checkStatusAndUpsync(
  env: ToolkitEnvironment,
  wecs: Wecs,
  wmw: RestClient,
  upsynced: KubeObject[],
  show: Show,
): Promise<void> {
  const guilder = wecs.get("guilder")!.client;
  const ref = { ...DEPLOYMENTS, namespace: "specialstuff", name: "speciald" };
  const status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 };
  await guilder.patchStatus(ref, { status }, "merge");
  show(
    "guilder reports speciald ready (kube-mode clusters run no pods: the quickstart plays kubelet)",
  );
  await waitUntil("speciald status back in root:wmw1", async () => {
    const d = await wmw.get<KubeObject>(ref);
    const count = d.metadata?.annotations?.["kubestellar.io/executing-count"];
    const ready = (d.status as Record<string, unknown> | undefined)?.readyReplicas;
    if (count !== "1") return `executing-count is ${JSON.stringify(count)}`;
    if (ready !== 1) return `readyReplicas is ${JSON.stringify(ready)}`;
    return true;
  });
  show('root:wmw1 speciald: kubestellar.io/executing-count "1", status.readyReplicas 1');
  const crds = {
    group: "apiextensions.k8s.io",
    version: "v1",
    resource: "customresourcedefinitions",
  };
  await waitUntil(
    "the Sprocket CRD downsynced to guilder",
    async () =>
      await getOrUndefined(guilder, { ...crds, name: "sprockets.group1.test" }) ? true : "not yet",
  );
  show("guilder: customresourcedefinition sprockets.group1.test arrived (downsynced)");
  for (const line of await applyObjects(guilder, upsynced)) show(`guilder: ${line}`);
  let listing = "";
  await waitUntil("sprocket george upsynced to guilder's mailbox", async () => {
    const r = await runToolkit(env, [
      "list-syncing-objects",
      "--api-group",
      "group1.test",
      "--api-kind",
      "Sprocket",
      "--api-resource",
      "sprockets",
    ], () => {});
    listing = r.stdout;
    return listing.includes("george") ? true : "not in any mailbox yet";
  });
  show("$ kubestellar-list-syncing-objects --api-group group1.test --api-kind Sprocket");
  for (const line of listing.split("\n").filter((l) => /name:|kcp.io\/cluster/.test(l))) {
    show(`  ${line.trim()}`);
  }
}
