/**
 * The workspace library against kcp-lite in kcp mode (the real kcp-compatible server),
 * in-process: the KubeStellar flow of creating, entering and walking workspaces.
 *
 * @module
 */
import { assertEquals, assertRejects } from "../../support/assert.ts";
import { startKcpLite } from "../../../lib/kcplite/kcp_lite_server.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import { createWorkspace } from "../../../lib/workspace/create_workspace.ts";
import { useWorkspace } from "../../../lib/workspace/use_workspace.ts";
import {
  CURRENT_WORKSPACE_CONTEXT as CUR,
  PREVIOUS_WORKSPACE_CONTEXT as PREV,
} from "../../../lib/workspace/workspace_kubeconfig.ts";
import {
  openWorkspaceSession,
  type WorkspaceSession,
} from "../../../lib/workspace/workspace_session.ts";
import { workspaceTree } from "../../../lib/workspace/workspace_tree.ts";

Deno.test("kubectl ws flow against kcp-lite (kcp mode)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ws-kcplite-" });
  const kcp = await startKcpLite({ rootDirectory: dir, securePort: 0, mode: "kcp" });
  const kubeconfig = kcp.adminKubeconfigPath;
  const run = async (op: (s: WorkspaceSession) => Promise<unknown>): Promise<string[]> => {
    const lines: string[] = [];
    const session = await openWorkspaceSession({ kubeconfig }, {
      out: (l) => lines.push(l),
      err: (l) => lines.push(`stderr: ${l}`),
      timing: { pollMs: 50 },
    });
    try {
      await op(session);
    } finally {
      session.close();
    }
    return lines;
  };
  const server = async (context: string) => {
    const kc = await loadKubeconfig({ kubeconfig });
    const cluster = kc.find("contexts", context)?.value.cluster ?? "";
    return kc.find("clusters", cluster)?.value.server;
  };
  try {
    assertEquals(await run((s) => useWorkspace(s, ".")), ['Current workspace is "root".']);
    assertEquals(await run((s) => createWorkspace(s, "espw", { enter: true })), [
      'Workspace "espw" (type root:organization) created. Waiting for it to be ready...',
      'Workspace "espw" (type root:organization) is ready to use.',
      'Current workspace is "root:espw" (type root:organization).',
    ]);
    assertEquals(await server(CUR), `${kcp.url}/clusters/root:espw`);
    assertEquals(await server(PREV), `${kcp.url}/clusters/root`);
    assertEquals(
      await run((s) => createWorkspace(s, "wmw1", { type: "root:universal", enter: true })),
      [
        'Workspace "wmw1" (type root:universal) created. Waiting for it to be ready...',
        'Workspace "wmw1" (type root:universal) is ready to use.',
        'Current workspace is "root:espw:wmw1" (type root:universal).',
      ],
    );
    assertEquals(await run((s) => useWorkspace(s, "..")), ['Current workspace is "root:espw".']);
    assertEquals(await run((s) => useWorkspace(s, "root:espw:wmw1", { short: true })), [
      "root:espw:wmw1",
    ]);
    assertEquals(await run((s) => useWorkspace(s, "-")), ['Current workspace is "root:espw".']);
    assertEquals(
      await run((s) =>
        createWorkspace(s, "wmw1", { type: "root:universal", ignoreExisting: true })
      ),
      [
        'Workspace "wmw1" (type root:universal) already exists.',
        'Workspace "wmw1" (type root:universal) is ready to use.',
      ],
    );
    await assertRejects(
      () => run((s) => useWorkspace(s, "nope")),
      /^workspaces\.tenancy\.kcp\.io "nope" not found$/,
    );
    await assertRejects(
      () => run((s) => useWorkspace(s, "root:nope")),
      /^workspace "root:nope" not found$/,
    );
    assertEquals(await run((s) => useWorkspace(s, "root")), ['Current workspace is "root".']);
    assertEquals(await run((s) => workspaceTree(s)), [
      ".",
      "└── root",
      "    ├── compute",
      "    └── espw",
      "        └── wmw1",
      "",
    ]);
    assertEquals(await run((s) => useWorkspace(s, "compute")), [
      'Current workspace is "root:compute" (type root:universal).',
    ]);
  } finally {
    await kcp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
