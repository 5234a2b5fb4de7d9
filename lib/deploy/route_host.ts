/**
 * Waits, bounded, for the OpenShift router to give Route `kubestellar-route` a host name
 * (`spec.host`, else the first admitted `status.ingress[].host`), with progress lines.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { RestClient } from "../kube/rest_client.ts";
import { ConnectionError, isForbidden, isNotFound } from "../kube/rest_errors.ts";
import { formatWait } from "./wait_timeout.ts";

/** The Route the chart creates on OpenShift. */
export const ROUTE_NAME = "kubestellar-route";

interface RouteObject {
  spec?: { host?: string };
  status?: { ingress?: { host?: string }[] };
}

/** How to wait. */
export interface RouteWaitOptions {
  client: RestClient;
  namespace: string;
  timeoutMs: number;
  /** Poll interval (default 2 s). */
  intervalMs?: number;
  /** Progress interval (default 10 s). */
  progressEveryMs?: number;
  progress: (line: string) => void;
}

/** The Route's host name, or "" when it has none yet. */
export function routeHost(route: RouteObject): string {
  if (route.spec?.host) return route.spec.host;
  return route.status?.ingress?.find((i) => i.host)?.host ?? "";
}

/** Resolves to the host once assigned; a `UserError` on timeout or a fatal failure. */
export async function waitForRouteHost(o: RouteWaitOptions): Promise<string> {
  const start = Date.now();
  const interval = o.intervalMs ?? 2000;
  const every = o.progressEveryMs ?? 10_000;
  let nextProgress = start + every;
  const where = `Route ${ROUTE_NAME} in namespace ${JSON.stringify(o.namespace)}`;
  let last = "";
  for (;;) {
    try {
      const route = await o.client.get<RouteObject>({
        group: "route.openshift.io",
        version: "v1",
        resource: "routes",
        namespace: o.namespace,
        name: ROUTE_NAME,
      });
      const host = routeHost(route);
      if (host) return host;
      last = "it has no host yet";
    } catch (e) {
      if (e instanceof ConnectionError) throw new UserError(e.message);
      if (isForbidden(e)) {
        throw new UserError(`not allowed to read ${where}: ${(e as Error).message}`);
      }
      if (!isNotFound(e)) throw e;
      last = "it does not exist yet";
    }
    const now = Date.now();
    if (now - start >= o.timeoutMs) {
      throw new UserError(
        `the OpenShift router assigned no host to ${where} within ${formatWait(o.timeoutMs)} ` +
          `(${last}): check the router, or pass --external-endpoint DOMAIN:PORT`,
      );
    }
    if (now >= nextProgress) {
      o.progress(
        `waiting for the OpenShift router to assign a host to ${where} ` +
          `(${Math.round((now - start) / 1000)}s; ${last})`,
      );
      nextProgress = now + every;
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, o.timeoutMs - (now - start))));
  }
}
