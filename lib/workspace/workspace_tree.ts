/**
 * `kubectl ws tree [--full]`: the current workspace and its descendants, drawn as
 * kcp draws them (a `.` line, then `├── ` / `└── ` branches indented by `│   ` or four
 * spaces), followed by an empty line.
 *
 * ```
 * .
 * └── root
 *     ├── compute
 *     └── espw
 * ```
 *
 * Children are listed in the order the server lists them. Each child is visited
 * through the logical cluster named in its `spec.URL`, falling back to its path when
 * the server has not published a URL yet; a 404 while listing means no children.
 *
 * @example
 * ```ts
 * const lines = await workspaceTree(session, { full: true });
 * ```
 *
 * @module
 */
import { isNotFound } from "../kube/rest_errors.ts";
import { listWorkspaces } from "./workspace_client.ts";
import { workspaceUrl } from "./workspace_object.ts";
import { baseName, joinPath, parseClusterUrl } from "./workspace_path.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "./workspace_session.ts";

/** One node of the tree. */
export interface TreeNode {
  label: string;
  children: TreeNode[];
}

/** Draws `roots` under a `.` line (no trailing empty line). */
export function renderTree(roots: TreeNode[]): string[] {
  const lines = ["."];
  const walk = (nodes: TreeNode[], indent: string) => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      lines.push(`${indent}${last ? "└──" : "├──"} ${node.label}`);
      walk(node.children, indent + (last ? "    " : "│   "));
    });
  };
  walk(roots, "");
  return lines;
}

/** Options of `workspaceTree`. */
export interface WorkspaceTreeOptions {
  /** `--full`: label nodes with full paths instead of names. */
  full?: boolean;
  /** Stop descending below this depth (guards against cycles). Default 64. */
  maxDepth?: number;
}

/** Builds the tree below the current workspace and prints it; returns the lines printed. */
export async function workspaceTree(
  session: WorkspaceSession,
  options: WorkspaceTreeOptions = {},
): Promise<string[]> {
  const { path } = requireCurrentWorkspace(session);
  const maxDepth = options.maxDepth ?? 64;
  const build = async (
    address: string,
    humanPath: string,
    depth: number,
  ): Promise<TreeNode> => {
    const node: TreeNode = {
      label: options.full ? humanPath : baseName(humanPath),
      children: [],
    };
    if (depth >= maxDepth) return node;
    let children;
    try {
      children = await listWorkspaces(session.client, address);
    } catch (e) {
      if (isNotFound(e)) return node;
      throw e;
    }
    for (const child of children) {
      const name = child.metadata?.name ?? "";
      const childPath = joinPath(humanPath, name);
      const childAddress = parseClusterUrl(workspaceUrl(child))?.path ?? childPath;
      node.children.push(await build(childAddress, childPath, depth + 1));
    }
    return node;
  };
  const lines = [...renderTree([await build(path, path, 0)]), ""];
  lines.forEach((line) => session.out(line));
  return lines;
}
