/**
 * Hosts the edge view in `kubestellar controller all` (what `kubestellar start`
 * launches): serves it on loopback with its own serving certificate, and publishes how
 * to reach it in the edge service provider workspace, where
 * `kubectl kubestellar edge-view` finds it:
 *
 * - Secret `kubestellar-edge-view` (namespace `default` of the ESPW): the serving
 *   certificate and key and the CA that signed them, made once and kept, so a restarted
 *   view keeps its identity and the contexts written for it stay valid;
 * - ConfigMap `kubestellar-edge-view`: `server` (its URL) and `ca.crt`.
 *
 * A restarted view listens on its previous port when that port is free.
 *
 * @module
 */
import type { ControllerDefinition } from "../controllers/runtime/controller_context.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { isAlreadyExists, isNotFound } from "../kube/rest_errors.ts";
import { createCertificateAuthority, issueCertificate } from "../pki/certificates.ts";
import { startEdgeView } from "./edge_view_server.ts";
import { EDGE_VIEW_NAMESPACE, EDGE_VIEW_OBJECT } from "./view_endpoint.ts";

const SECRETS = { version: "v1", resource: "secrets", namespace: EDGE_VIEW_NAMESPACE };
const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: EDGE_VIEW_NAMESPACE };
const NAMESPACES = { version: "v1", resource: "namespaces" };

interface ServingIdentity {
  caPem: string;
  certPem: string;
  keyPem: string;
}

async function getOrUndefined(
  espw: RestClient,
  ref: { resource: string; namespace?: string; name: string },
) {
  try {
    return await espw.get<KubeObject>({ version: "v1", ...ref });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function ensureNamespace(espw: RestClient): Promise<void> {
  if (await getOrUndefined(espw, { ...NAMESPACES, name: EDGE_VIEW_NAMESPACE })) return;
  try {
    await espw.create(NAMESPACES, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: EDGE_VIEW_NAMESPACE },
    });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

const b64 = (s: string) => btoa(s);
const unb64 = (s: unknown) => typeof s === "string" ? atob(s) : "";

/** The kept serving identity, or a new one (stored before use). */
async function servingIdentity(espw: RestClient): Promise<ServingIdentity> {
  const secret = await getOrUndefined(espw, { ...SECRETS, name: EDGE_VIEW_OBJECT });
  const data = (secret?.data ?? {}) as Record<string, string>;
  if (data["tls.crt"] && data["tls.key"] && data["ca.crt"]) {
    return {
      caPem: unb64(data["ca.crt"]),
      certPem: unb64(data["tls.crt"]),
      keyPem: unb64(data["tls.key"]),
    };
  }
  const ca = await createCertificateAuthority({ commonName: "kubestellar-edge-view-ca" });
  const leaf = await issueCertificate(ca, {
    commonName: "kubestellar-edge-view",
    dnsNames: ["localhost"],
    ipAddresses: ["127.0.0.1", "::1"],
    usage: "server",
    validityDays: 3650,
  });
  const identity = { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
  await ensureNamespace(espw);
  const body: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: EDGE_VIEW_OBJECT, namespace: EDGE_VIEW_NAMESPACE },
    type: "kubernetes.io/tls",
    data: {
      "tls.crt": b64(identity.certPem),
      "tls.key": b64(identity.keyPem),
      "ca.crt": b64(identity.caPem),
    },
  };
  try {
    await espw.create(SECRETS, body);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    return await servingIdentity(espw); // another instance won the race
  }
  return identity;
}

/** Writes the ConfigMap that says where the view is. */
async function publish(espw: RestClient, server: string, caPem: string): Promise<void> {
  const existing = await getOrUndefined(espw, { ...CONFIGMAPS, name: EDGE_VIEW_OBJECT });
  const body: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: EDGE_VIEW_OBJECT,
      namespace: EDGE_VIEW_NAMESPACE,
      ...(existing ? { resourceVersion: existing.metadata?.resourceVersion } : {}),
    },
    data: { server, "ca.crt": caPem },
  };
  if (existing) await espw.update({ ...CONFIGMAPS, name: EDGE_VIEW_OBJECT }, body);
  else await espw.create(CONFIGMAPS, body);
}

/** The port the view used last time, when it was on loopback. */
async function previousPort(espw: RestClient): Promise<number> {
  const cm = await getOrUndefined(espw, { ...CONFIGMAPS, name: EDGE_VIEW_OBJECT });
  const server = (cm?.data as Record<string, string> | undefined)?.server;
  if (!server) return 0;
  try {
    return Number(new URL(server).port) || 0;
  } catch {
    return 0;
  }
}

/** The edge view as a hosted "controller". */
export const edgeView: ControllerDefinition = {
  name: "edge-view",
  async run(ctx, signal) {
    const espw = ctx.client.withCluster(ctx.espwPath);
    try {
      const identity = await servingIdentity(espw);
      const options = {
        upstream: { server: ctx.client.config.server, caData: ctx.client.config.caData },
        certPem: identity.certPem,
        keyPem: identity.keyPem,
        log: ctx.log,
      };
      const wanted = await previousPort(espw);
      let view;
      try {
        view = startEdgeView({ ...options, port: wanted });
      } catch (e) {
        if (wanted === 0 || !(e instanceof Deno.errors.AddrInUse)) throw e;
        view = startEdgeView({ ...options, port: 0 });
      }
      try {
        await publish(espw, view.url, identity.caPem);
        ctx.log.info("serving the edge view", { url: view.url });
        ctx.setReady();
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      } finally {
        await view.stop();
      }
    } finally {
      espw.close();
    }
  },
};
