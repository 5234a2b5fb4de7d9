/**
 * `kubestellar init` (and the setup part of `start`), the documented / v0.14.0 flow of
 * commands-spec §3.3 on the pure-kcp plumbing of design §5:
 *
 * 1. `--local-kcp true`: a kcp (or kcp-lite) is serving on this machine;
 * 2. bounded wait, with progress, for the server and `root:compute`;
 * 3. augment `root:compute` (APIResourceSchemas, APIExports, RBAC) —
 *    `Finished augmenting root:compute for KubeStellar`;
 * 4. ensure `root:espw` with the edge APIResourceSchemas and the `edge.kubestellar.io`
 *    APIExport — `Finished populating the espw with kubestellar apiexports`;
 * 5. each IMW (`Ensuring IMW: <name>`) with the APIBinding `edge.kubestellar.io`;
 * 6. each WMW (`Ensuring WMW: <name>`) as `ensure wmw <name> --with-kube true` does, quietly;
 * 7. the space-provider objects when `SPACE_MANAGER_KUBECONFIG` is set (seed step 6);
 * 8. `root` is left as the current workspace.
 *
 * Every step is level-based, so running init again changes nothing.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { EDGE_EXPORT_NAME, edgeApiExportObjects } from "../edge/api_export.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { createWorkspace } from "../workspace/create_workspace.ts";
import { useWorkspace } from "../workspace/use_workspace.ts";
import { joinPath, ROOT_PATH } from "../workspace/workspace_path.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "../workspace/workspace_session.ts";
import { waitForBinding } from "./api_bindings.ts";
import { computeApiObjects, computeRbacObjects } from "./compute_exports.ts";
import { quietly } from "./core_session.ts";
import { ensureObject, refFor } from "./ensure_object.ts";
import { DEFAULT_ESPW_PATH } from "./inventory.ts";
import { kubectlTypeName } from "./kubectl_lines.ts";
import { requireLocalKcp, waitForCompute } from "./kcp_wait.ts";
import { ensureSpaceProvider, type SpaceProviderSettings } from "./space_provider.ts";
import { API_BINDINGS, bindingExists, findChildWorkspace } from "./workspace_checks.ts";
import { apiBindingTo } from "./wmw.ts";
import { ensureWmwFlow, enterOrCreateRootChild } from "./wmw_flow.ts";

/** What init is asked to do. */
export interface InitOptions {
  /** Name for messages (`kubestellar`). */
  prog: string;
  /** Print what each bulk create/replace did (`-V`). */
  verbose: boolean;
  /** Print each step to stderr (`-X`). */
  trace: boolean;
  localKcp: boolean;
  /** IMW names (children of root). */
  imws: string[];
  /** WMW names (children of root). */
  wmws: string[];
  /** Bound of the wait for the server and `root:compute` (ms). */
  waitTimeoutMs: number;
  /** Delay between wait attempts (ms, default 1000). */
  waitPollMs?: number;
  /** Seed step 6, when its environment variables are set. */
  spaceProvider?: SpaceProviderSettings;
  /** Progress and trace lines (stderr). */
  progress: (line: string) => void;
}

const ESPW_NAME = "espw";

/** Runs init on an open session. */
export async function runInit(session: WorkspaceSession, options: InitOptions): Promise<void> {
  const step = (what: string) => options.trace && options.progress(`+ ${what}`);
  requireCurrentWorkspace(session);
  if (options.localKcp) {
    step("check that kcp is serving on this machine");
    await requireLocalKcp(session);
  }
  step("wait for the kcp server and root:compute");
  await waitForCompute(session, {
    prog: options.prog,
    timeoutMs: options.waitTimeoutMs,
    pollMs: options.waitPollMs,
    progress: options.progress,
  });
  step("augment root:compute");
  await augmentCompute(session, options.verbose);
  session.out("Finished augmenting root:compute for KubeStellar");

  step("ensure the ESPW root:espw");
  await ensureEspw(session, options.verbose);
  session.out("Finished populating the espw with kubestellar apiexports");

  const initial = requireCurrentWorkspace(session).path;
  for (const imw of options.imws) {
    session.out(`Ensuring IMW: ${imw}`);
    step(`ensure IMW root:${imw}`);
    await ensureImw(session, options.prog, imw);
  }
  if (options.imws.length > 0) await quietly(session, () => useWorkspace(session, initial));
  for (const wmw of options.wmws) {
    session.out(`Ensuring WMW: ${wmw}`);
    step(`ensure WMW root:${wmw}`);
    await quietly(session, () => useWorkspace(session, ROOT_PATH));
    await quietly(session, () => ensureWmwFlow(session, wmw, true));
  }
  if (options.spaceProvider) {
    step("ensure the space provider objects");
    await ensureSpaceProvider(session, options.spaceProvider, options.verbose);
  }
  await quietly(session, () => useWorkspace(session, ROOT_PATH));
}

/**
 * Ensures each batch of objects in turn (the objects of one batch concurrently), printing
 * with `-V` what happened to each, in order.
 */
async function ensureAll(
  client: RestClient,
  batches: KubeObject[][],
  session: WorkspaceSession,
  verbose: boolean,
): Promise<void> {
  for (const objects of batches) {
    const outcomes = await Promise.allSettled(objects.map((obj) => ensureObject(client, obj)));
    outcomes.forEach((r, i) => {
      if (!verbose || r.status !== "fulfilled") return;
      const ref = refFor(objects[i]);
      session.out(`${kubectlTypeName(objects[i].kind!, ref.group ?? "")}/${ref.name} ${r.value}`);
    });
    const failed = outcomes.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}

/** Step 3: the Kubernetes exports and RBAC of `root:compute`. */
async function augmentCompute(session: WorkspaceSession, verbose: boolean): Promise<void> {
  const compute = session.client.withCluster("root:compute");
  try {
    const { schemas, exports } = computeApiObjects();
    await ensureAll(compute, [schemas, exports, computeRbacObjects()], session, verbose);
  } finally {
    compute.close();
  }
}

/** Step 4: `root:espw` with the edge schemas and export; the ESPW becomes current. */
async function ensureEspw(session: WorkspaceSession, verbose: boolean): Promise<void> {
  const existing = await findChildWorkspace(session.client, ROOT_PATH, ESPW_NAME);
  await quietly(session, () => useWorkspace(session, ROOT_PATH));
  if (existing) {
    session.out("espw workspace already exists -- using it:");
    await useWorkspace(session, ESPW_NAME);
  } else {
    await createWorkspace(session, ESPW_NAME, { enter: true });
  }
  const espw = session.client.withCluster(DEFAULT_ESPW_PATH);
  try {
    const { schemas, apiExport } = await edgeApiExportObjects();
    await ensureAll(espw, [schemas, [apiExport]], session, verbose);
  } finally {
    espw.close();
  }
}

/** Step 5: one IMW with the edge APIBinding (kcp's `kubectl kcp bind apiexport` lines). */
async function ensureImw(session: WorkspaceSession, prog: string, name: string): Promise<void> {
  const existing = await findChildWorkspace(session.client, ROOT_PATH, name);
  try {
    await quietly(session, async () => {
      await useWorkspace(session, ROOT_PATH);
      await enterOrCreateRootChild(session, name, existing !== undefined);
    });
  } catch (e) {
    throw new UserError(
      `${prog}: unable to create IMW "root:${name}": ${e instanceof Error ? e.message : e}`,
    );
  }
  const imw = session.client.withCluster(joinPath(ROOT_PATH, name));
  try {
    if (await bindingExists(imw, EDGE_EXPORT_NAME)) return;
    const body = apiBindingTo(EDGE_EXPORT_NAME, DEFAULT_ESPW_PATH, EDGE_EXPORT_NAME);
    await imw.create(API_BINDINGS, body);
    session.out(`apibinding ${EDGE_EXPORT_NAME} created. Waiting to successfully bind ...`);
    await waitForBinding(imw, EDGE_EXPORT_NAME);
    session.out(`${EDGE_EXPORT_NAME} created and bound.`);
  } finally {
    imw.close();
  }
}
