/**
 * The check `kubectl ws` runs after every switch: APIBindings in the new workspace
 * whose APIExport claims permissions that the binding neither lists nor has accepted
 * or rejected produce warnings.
 *
 * @example
 * ```ts
 * unresolvedClaimWarnings(bindings).forEach((line) => out(line));
 * ```
 *
 * @module
 */
import type { ApiBinding, PermissionClaim } from "./workspace_client.ts";

/** A claim as kcp names it: `resource.group` (plus `:identityHash` when set). */
export function claimString(claim: PermissionClaim): string {
  const gr = claim.group ? `${claim.resource ?? ""}.${claim.group}` : claim.resource ?? "";
  return claim.identityHash ? `${gr}:${claim.identityHash}` : gr;
}

function sameClaim(a: PermissionClaim, b: PermissionClaim): boolean {
  return (a.group ?? "") === (b.group ?? "") && (a.resource ?? "") === (b.resource ?? "") &&
    (a.identityHash ?? "") === (b.identityHash ?? "");
}

/** The warning lines for `bindings`, in binding and claim order. */
export function unresolvedClaimWarnings(bindings: ApiBinding[]): string[] {
  const lines: string[] = [];
  for (const binding of bindings) {
    const name = binding.metadata?.name ?? "";
    for (const exported of binding.status?.exportPermissionClaims ?? []) {
      const listed = (binding.spec?.permissionClaims ?? []).filter((c) => sameClaim(c, exported));
      const claim = claimString(exported);
      if (listed.length === 0) {
        lines.push(`Warning: claim for ${claim} exported but not specified on APIBinding ${name}`);
        lines.push("Add this claim to the APIBinding's Spec.");
      }
      const decided = listed.some((c) => c.state === "Accepted" || c.state === "Rejected");
      if (!decided) {
        lines.push(
          `Warning: claim for ${claim} specified on APIBinding ${name} but not accepted or rejected.`,
        );
      }
    }
  }
  return lines;
}
