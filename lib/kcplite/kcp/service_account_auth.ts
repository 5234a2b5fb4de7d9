/**
 * Authentication of legacy service-account tokens in kcp mode (kcp-spec §5.5): the
 * signature must verify and the token's ServiceAccount (same uid) and, for legacy tokens,
 * its Secret must still exist in the token's logical cluster.
 *
 * @module
 */
import type { ObjectStore } from "../store/object_store.ts";
import {
  type VerifiedServiceAccountToken,
  verifyServiceAccountToken,
} from "../auth/service_account_token.ts";
import { R } from "./kcp_kinds.ts";

/** An authenticated service account. */
export type AuthenticatedServiceAccount = VerifiedServiceAccountToken;

/** The token's service account, or undefined when the token is not (or no longer) valid. */
export async function authenticateServiceAccountToken(
  store: ObjectStore,
  publicKey: CryptoKey,
  token: string,
): Promise<AuthenticatedServiceAccount | undefined> {
  const sa = await verifyServiceAccountToken(token, publicKey);
  if (!sa) return undefined;
  const account = store.get({
    cluster: sa.cluster,
    resource: R.serviceAccounts,
    namespace: sa.namespace,
    name: sa.name,
  });
  if (!account || account.metadata?.uid !== sa.uid) return undefined;
  if (sa.kind === "bound") return sa;
  const secret = store.get({
    cluster: sa.cluster,
    resource: R.secrets,
    namespace: sa.namespace,
    name: sa.secretName,
  });
  return secret ? sa : undefined;
}
