/**
 * The lines kubectl prints after changing objects (`synctarget.edge.kubestellar.io/demo1
 * created`, `workspace.tenancy.kcp.io "demo1" deleted`), so commands that change objects
 * themselves still read like the documented kubectl sessions.
 *
 * @module
 */

/** What kubectl calls a kind: `<kind lower-cased>.<group>`, just the kind for core. */
export function kubectlTypeName(kind: string, group: string): string {
  const k = kind.toLowerCase();
  return group ? `${k}.${group}` : k;
}

/** `<type>/<name> created`. */
export function createdLine(kind: string, group: string, name: string): string {
  return `${kubectlTypeName(kind, group)}/${name} created`;
}

/** `<type>/<name> labeled`. */
export function labeledLine(kind: string, group: string, name: string): string {
  return `${kubectlTypeName(kind, group)}/${name} labeled`;
}

/** `<type> "<name>" deleted`. */
export function deletedLine(kind: string, group: string, name: string): string {
  return `${kubectlTypeName(kind, group)} "${name}" deleted`;
}
