/**
 * The quickstart's status-summary step: the StatusSummarizer of issue 15 (`commond-ready`)
 * goes into `root:wmw1`; then the quickstart reports `commond` ready on every edge
 * cluster, as a cluster's Deployment controller would (kube-mode kcp-lite runs no
 * controllers and no pods, so without this nothing would ever be ready — the step says
 * so), and reads the StatusSummary the status summarizer makes from what comes back
 * through the mailboxes: "commond ready on 2 of 2 clusters".
 *
 * @module
 */
import { EDGE_API_VERSION, STATUS_SUMMARIES, type StatusSummary } from "../edge/api_types.ts";
import { applyObjects } from "../kube/apply_objects.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import type { Show } from "./step_runner.ts";
import { waitUntil } from "./wait_until.ts";

const DEPLOYMENTS = { group: "apps", version: "v1", resource: "deployments" };

/** The StatusSummarizer of issue 15, as written there. */
export function commondReadySummarizer(): KubeObject {
  return {
    apiVersion: EDGE_API_VERSION,
    kind: "StatusSummarizer",
    metadata: { name: "commond-ready" },
    spec: {
      objects: [{
        apiGroup: "apps",
        resources: ["deployments"],
        namespaces: ["commonstuff"],
        objectNames: ["commond"],
      }],
      groupBy: [{
        name: "ready",
        def: "has(obj.status.readyReplicas) && obj.status.readyReplicas >= obj.spec.replicas",
      }],
      combinedFields: [
        { name: "clusters", type: "COUNT" },
        {
          name: "readyReplicas",
          type: "SUM",
          subject: "has(obj.status.readyReplicas) ? obj.status.readyReplicas : 0",
        },
      ],
      brokenWhen: "!has(obj.status.readyReplicas) || obj.status.readyReplicas < obj.spec.replicas",
      limit: 20,
    },
  };
}

type Row = { group?: { ready?: boolean }; clusters?: number };

/** "commond ready on R of N clusters" from a StatusSummary (undefined before it exists). */
export function readinessLine(summary: StatusSummary | undefined): string | undefined {
  const rows = (summary?.status?.rows ?? []) as Row[];
  if (!summary?.status) return undefined;
  const ready = rows.filter((r) => r.group?.ready === true)
    .reduce((n, r) => n + (r.clusters ?? 0), 0);
  return `commond ready on ${ready} of ${summary.status.observedClusters} clusters`;
}

/** Runs the step: summarizer in, readiness reported on the edges, summary read back. */
export async function summarizeCommond(
  wmw: RestClient,
  wecs: Map<string, { client: RestClient }>,
  show: Show,
): Promise<void> {
  for (const line of await applyObjects(wmw, [commondReadySummarizer()])) show(line);
  const get = () => wmw.get<StatusSummary>({ ...STATUS_SUMMARIES, name: "commond-ready" });
  await waitUntil("the commond-ready StatusSummary", async () => {
    const s = await get();
    return s.status?.observedClusters === wecs.size ? true : "not every cluster reported yet";
  });
  show(`root:wmw1 statussummary commond-ready: ${readinessLine(await get())}`);
  show(
    "kube-mode edge clusters run no Deployment controller and no pods, so the quickstart " +
      "writes commond's status on each edge as that controller would",
  );
  for (const [name, wec] of wecs) {
    const ref = { ...DEPLOYMENTS, namespace: "commonstuff", name: "commond" };
    const status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 };
    await wec.client.patchStatus(ref, { status }, "merge");
    show(`${name}: commond reports readyReplicas 1`);
  }
  await waitUntil("commond ready everywhere in the StatusSummary", async () => {
    const line = readinessLine(await get());
    return line === `commond ready on ${wecs.size} of ${wecs.size} clusters` ? true : `${line}`;
  });
  const s = await get();
  show(`root:wmw1 statussummary commond-ready: ${readinessLine(s)}`);
  show(`  rows: ${JSON.stringify(s.status?.rows)}, broken: ${s.status?.brokenCount}`);
}
