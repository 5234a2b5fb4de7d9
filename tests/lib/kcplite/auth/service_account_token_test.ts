import { generateRsaSigningKey, signJwt } from "../../../../lib/kcplite/auth/jwt.ts";
import { decodeJwtUnverified } from "../../../../lib/kcplite/auth/jwt.ts";
import {
  signBoundServiceAccountToken,
  signServiceAccountToken,
  verifyServiceAccountToken,
} from "../../../../lib/kcplite/auth/service_account_token.ts";
import { assertEquals } from "../../../support/assert.ts";

const subject = {
  cluster: "2m0dtpobj6tuzdst",
  namespace: "kube-system",
  name: "syncer",
  uid: "0b5e2a8c-1111-2222-3333-444455556666",
  secretName: "syncer-token-x7k2q",
};

const keys = await generateRsaSigningKey();

Deno.test("signServiceAccountToken writes kcp's legacy claims", async () => {
  const token = await signServiceAccountToken(keys.privateKey, subject);
  assertEquals(decodeJwtUnverified(token), {
    iss: "kubernetes/serviceaccount",
    "kubernetes.io/serviceaccount/namespace": "kube-system",
    "kubernetes.io/serviceaccount/secret.name": "syncer-token-x7k2q",
    "kubernetes.io/serviceaccount/service-account.name": "syncer",
    "kubernetes.io/serviceaccount/service-account.uid": subject.uid,
    sub: "system:serviceaccount:kube-system:syncer",
    "kubernetes.io/serviceaccount/clusterName": "2m0dtpobj6tuzdst",
  });
});

Deno.test("verifyServiceAccountToken round-trips to the service account user", async () => {
  const token = await signServiceAccountToken(keys.privateKey, subject);
  const got = await verifyServiceAccountToken(token, keys.publicKey);
  assertEquals(got, {
    ...subject,
    user: {
      name: "system:serviceaccount:kube-system:syncer",
      uid: subject.uid,
      groups: [
        "system:serviceaccounts",
        "system:serviceaccounts:kube-system",
        "system:authenticated",
      ],
      extra: { "authentication.kubernetes.io/cluster-name": ["2m0dtpobj6tuzdst"] },
    },
    kind: "legacy",
  });
});

Deno.test("bound (TokenRequest) tokens nest the kcp claims, verify, and expire", async () => {
  const { secretName: _, ...who } = subject;
  const now = Math.floor(Date.now() / 1000);
  const { token, expirationTimestamp } = await signBoundServiceAccountToken(keys.privateKey, who, {
    expirationSeconds: 600,
    now,
  });
  const claims = decodeJwtUnverified(token)!;
  assertEquals(claims["kubernetes.io"], {
    clusterName: "2m0dtpobj6tuzdst",
    namespace: "kube-system",
    serviceaccount: { name: "syncer", uid: subject.uid },
  });
  assertEquals(claims.iss, "https://kcp.default.svc");
  assertEquals(claims.exp, now + 600);
  assertEquals(
    expirationTimestamp,
    new Date((now + 600) * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
  );
  const got = await verifyServiceAccountToken(token, keys.publicKey);
  assertEquals(got?.kind, "bound");
  assertEquals(got?.cluster, "2m0dtpobj6tuzdst");
  assertEquals(got?.secretName, "");
  assertEquals(got?.user.name, "system:serviceaccount:kube-system:syncer");
  const expired = await signBoundServiceAccountToken(keys.privateKey, who, {
    expirationSeconds: 10,
    now: now - 100,
  });
  assertEquals(await verifyServiceAccountToken(expired.token, keys.publicKey), undefined);
});

Deno.test("verifyServiceAccountToken refuses other keys, tampering and foreign claims", async () => {
  const other = await generateRsaSigningKey();
  const token = await signServiceAccountToken(other.privateKey, subject);
  assertEquals(await verifyServiceAccountToken(token, keys.publicKey), undefined);

  const good = await signServiceAccountToken(keys.privateKey, subject);
  const [h, , s] = good.split(".");
  const forged = btoa(JSON.stringify({ iss: "kubernetes/serviceaccount", sub: "x" }))
    .replace(/=+$/, "");
  assertEquals(await verifyServiceAccountToken(`${h}.${forged}.${s}`, keys.publicKey), undefined);

  const noCluster = await signJwt({
    iss: "kubernetes/serviceaccount",
    sub: "system:serviceaccount:kube-system:syncer",
    "kubernetes.io/serviceaccount/namespace": "kube-system",
    "kubernetes.io/serviceaccount/secret.name": "s",
    "kubernetes.io/serviceaccount/service-account.name": "syncer",
    "kubernetes.io/serviceaccount/service-account.uid": "u",
  }, keys.privateKey);
  assertEquals(await verifyServiceAccountToken(noCluster, keys.publicKey), undefined);

  const wrongSub = await signJwt({
    iss: "kubernetes/serviceaccount",
    sub: "system:serviceaccount:default:admin",
    "kubernetes.io/serviceaccount/namespace": "kube-system",
    "kubernetes.io/serviceaccount/secret.name": "s",
    "kubernetes.io/serviceaccount/service-account.name": "syncer",
    "kubernetes.io/serviceaccount/service-account.uid": "u",
    "kubernetes.io/serviceaccount/clusterName": "root",
  }, keys.privateKey);
  assertEquals(await verifyServiceAccountToken(wrongSub, keys.publicKey), undefined);
  assertEquals(await verifyServiceAccountToken("not-a-jwt", keys.publicKey), undefined);
});
