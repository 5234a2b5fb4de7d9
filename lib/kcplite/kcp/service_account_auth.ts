/**
 * Authentication of legacy service-account tokens in kcp mode (kcp-spec §5.5): the
 * signature must verify and the token's ServiceAccount (same uid) and, for legacy tokens,
 * its Secret must still exist in the token's logical cluster. Also answers TokenRequests
 * (`POST …/serviceaccounts/<name>/token`) with bound tokens.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { StatusError } from "../api/status_error.ts";
import {
  BOUND_TOKEN_ISSUER,
  signBoundServiceAccountToken,
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

/** The body of `POST …/serviceaccounts/<name>/token`, as far as it matters here. */
export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
}

/**
 * Answers a TokenRequest (kcp-spec §5.5): a bound token for the ServiceAccount, as an
 * `authentication.k8s.io/v1` TokenRequest with `status.token` and
 * `status.expirationTimestamp`. Throws a 404 `StatusError` when the account does not exist.
 */
export async function createTokenRequest(
  store: ObjectStore,
  signingKey: CryptoKey,
  cluster: string,
  namespace: string,
  name: string,
  spec: TokenRequestSpec = {},
): Promise<KubeObject> {
  const account = store.get({ cluster, resource: R.serviceAccounts, namespace, name });
  if (!account) throw StatusError.notFound({ group: "", resource: "serviceaccounts" }, name);
  const expirationSeconds = Math.max(600, spec.expirationSeconds ?? 3600);
  const { token, expirationTimestamp } = await signBoundServiceAccountToken(signingKey, {
    cluster,
    namespace,
    name,
    uid: account.metadata!.uid!,
  }, { audiences: spec.audiences, expirationSeconds });
  return {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    metadata: { name, namespace, creationTimestamp: null },
    spec: {
      audiences: spec.audiences ?? [BOUND_TOKEN_ISSUER],
      expirationSeconds,
      boundObjectRef: null,
    },
    status: { token, expirationTimestamp },
  };
}
