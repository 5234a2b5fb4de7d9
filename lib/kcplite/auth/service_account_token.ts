/**
 * kcp's service-account tokens (kcp-spec §5.5): legacy RS256 JWTs stored in Secrets of
 * type `kubernetes.io/service-account-token`, with the Kubernetes claims plus kcp's
 * `kubernetes.io/serviceaccount/clusterName`, which the server also uses to route bare-URL
 * requests to the token's logical cluster (§1.4); and bound (TokenRequest) tokens whose
 * claims nest `kubernetes.io: {clusterName, namespace, serviceaccount}` and expire.
 *
 * Verification checks the signature and the claims' shape; whether the ServiceAccount and
 * the Secret still exist (with that uid) is for the caller to check against its store.
 *
 * @example
 * ```ts
 * const keys = await generateRsaSigningKey();
 * const token = await signServiceAccountToken(keys.privateKey, {
 *   cluster: "2m0dtpobj6tuzdst", namespace: "default", name: "syncer",
 *   uid: "5d0c…", secretName: "syncer-token-x7k2q",
 * });
 * const sa = await verifyServiceAccountToken(token, keys.publicKey);
 * // sa.user.name === "system:serviceaccount:default:syncer"
 * ```
 *
 * @module
 */
import { type JwtClaims, signJwt, verifyJwt } from "./jwt.ts";
import { serviceAccountUserName, type UserInfo } from "./rbac.ts";

/** The issuer of legacy (Secret-based) tokens. */
export const LEGACY_TOKEN_ISSUER = "kubernetes/serviceaccount";

/** Claim names of a legacy token. */
export const SA_CLAIMS = {
  namespace: "kubernetes.io/serviceaccount/namespace",
  secretName: "kubernetes.io/serviceaccount/secret.name",
  name: "kubernetes.io/serviceaccount/service-account.name",
  uid: "kubernetes.io/serviceaccount/service-account.uid",
  cluster: "kubernetes.io/serviceaccount/clusterName",
} as const;

/** The `extra` key that carries the token's logical cluster. */
export const CLUSTER_NAME_EXTRA = "authentication.kubernetes.io/cluster-name";

/** The issuer of bound (TokenRequest) tokens: kcp's default service-account issuer. */
export const BOUND_TOKEN_ISSUER = "https://kcp.default.svc";

/** Whom a token was issued for. */
export interface ServiceAccountTokenSubject {
  /** Logical cluster id of the ServiceAccount. */
  cluster: string;
  namespace: string;
  /** ServiceAccount name. */
  name: string;
  /** ServiceAccount uid. */
  uid: string;
  /** The Secret holding the token. */
  secretName: string;
}

/** A verified token: its subject and the user it authenticates as. */
export interface VerifiedServiceAccountToken extends ServiceAccountTokenSubject {
  user: UserInfo;
  /** `legacy`: a Secret token (`secretName` set); `bound`: a TokenRequest token (`secretName` ""). */
  kind: "legacy" | "bound";
}

/** Options of {@link signBoundServiceAccountToken}. */
export interface BoundTokenOptions {
  /** `aud` (default: the issuer). */
  audiences?: string[];
  /** Lifetime (default 3600 s). */
  expirationSeconds?: number;
  /** Seconds since the epoch (default: now). */
  now?: number;
}

/** The claims of a legacy token for the subject. */
export function serviceAccountTokenClaims(subject: ServiceAccountTokenSubject): JwtClaims {
  return {
    iss: LEGACY_TOKEN_ISSUER,
    [SA_CLAIMS.namespace]: subject.namespace,
    [SA_CLAIMS.secretName]: subject.secretName,
    [SA_CLAIMS.name]: subject.name,
    [SA_CLAIMS.uid]: subject.uid,
    sub: serviceAccountUserName(subject.namespace, subject.name),
    [SA_CLAIMS.cluster]: subject.cluster,
  };
}

/** Signs a legacy service-account token (no expiry, like Kubernetes' Secret tokens). */
export async function signServiceAccountToken(
  key: CryptoKey,
  subject: ServiceAccountTokenSubject,
): Promise<string> {
  return await signJwt(serviceAccountTokenClaims(subject), key);
}

/**
 * Signs a bound token as `POST …/serviceaccounts/<sa>/token` returns it (kcp-spec §5.5):
 * the claims nest `kubernetes.io: {clusterName, namespace, serviceaccount: {name, uid}}`
 * and carry `aud`, `iat`, `nbf` and `exp`.
 */
export async function signBoundServiceAccountToken(
  key: CryptoKey,
  subject: Omit<ServiceAccountTokenSubject, "secretName">,
  options: BoundTokenOptions = {},
): Promise<{ token: string; expirationTimestamp: string }> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const exp = now + (options.expirationSeconds ?? 3600);
  const token = await signJwt({
    aud: options.audiences ?? [BOUND_TOKEN_ISSUER],
    exp,
    iat: now,
    iss: BOUND_TOKEN_ISSUER,
    "kubernetes.io": {
      clusterName: subject.cluster,
      namespace: subject.namespace,
      serviceaccount: { name: subject.name, uid: subject.uid },
    },
    nbf: now,
    sub: serviceAccountUserName(subject.namespace, subject.name),
  }, key);
  return { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, "Z") };
}

/** The user a service account authenticates as (kcp-spec §5.5). */
export function serviceAccountUser(
  cluster: string,
  namespace: string,
  name: string,
  uid?: string,
): UserInfo {
  const user: UserInfo = {
    name: serviceAccountUserName(namespace, name),
    groups: [
      "system:serviceaccounts",
      `system:serviceaccounts:${namespace}`,
      "system:authenticated",
    ],
    extra: { [CLUSTER_NAME_EXTRA]: [cluster] },
  };
  if (uid) user.uid = uid;
  return user;
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * The subject of a legacy token signed by the key, or undefined when the signature, the
 * issuer or a claim is wrong.
 */
export async function verifyServiceAccountToken(
  token: string,
  publicKey: CryptoKey,
): Promise<VerifiedServiceAccountToken | undefined> {
  const claims = await verifyJwt(token, publicKey);
  if (!claims) return undefined;
  if (claims.iss === BOUND_TOKEN_ISSUER) return boundSubject(claims);
  if (claims.iss !== LEGACY_TOKEN_ISSUER) return undefined;
  const cluster = nonEmptyString(claims[SA_CLAIMS.cluster]);
  const namespace = nonEmptyString(claims[SA_CLAIMS.namespace]);
  const name = nonEmptyString(claims[SA_CLAIMS.name]);
  const uid = nonEmptyString(claims[SA_CLAIMS.uid]);
  const secretName = nonEmptyString(claims[SA_CLAIMS.secretName]);
  if (!cluster || !namespace || !name || !uid || !secretName) return undefined;
  if (claims.sub !== serviceAccountUserName(namespace, name)) return undefined;
  return {
    cluster,
    namespace,
    name,
    uid,
    secretName,
    user: serviceAccountUser(cluster, namespace, name, uid),
    kind: "legacy",
  };
}

function boundSubject(claims: JwtClaims): VerifiedServiceAccountToken | undefined {
  if (typeof claims.exp !== "number") return undefined;
  const k8s = claims["kubernetes.io"] as {
    clusterName?: unknown;
    namespace?: unknown;
    serviceaccount?: { name?: unknown; uid?: unknown };
  } | undefined;
  const cluster = nonEmptyString(k8s?.clusterName);
  const namespace = nonEmptyString(k8s?.namespace);
  const name = nonEmptyString(k8s?.serviceaccount?.name);
  const uid = nonEmptyString(k8s?.serviceaccount?.uid);
  if (!cluster || !namespace || !name || !uid) return undefined;
  if (claims.sub !== serviceAccountUserName(namespace, name)) return undefined;
  return {
    cluster,
    namespace,
    name,
    uid,
    secretName: "",
    user: serviceAccountUser(cluster, namespace, name, uid),
    kind: "bound",
  };
}
