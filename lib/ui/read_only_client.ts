/**
 * The UI's guarantee that it never writes to any API: every client it holds is wrapped
 * so that only reads go out (`get`, `list`, `watch`, `getPath`, and `request` /
 * `requestJson` with GET). Any other call throws `ReadOnlyViolation` before a byte is
 * sent, and clients derived with `withCluster` are wrapped too.
 *
 * @example
 * ```ts
 * const hub = readOnly(restClientFor(config));
 * await hub.withCluster("root:espw").list(ref); // fine
 * await hub.create(ref, obj); // throws ReadOnlyViolation
 * ```
 *
 * @module
 */
import type { RestClient } from "../kube/rest_client.ts";

/** Thrown when UI code tries to write (a bug: the UI is read-only by design). */
export class ReadOnlyViolation extends Error {
  constructor(what: string) {
    super(`the KubeStellar UI is read-only: refused ${what}`);
    this.name = "ReadOnlyViolation";
  }
}

const READS = new Set(["get", "list", "watch", "getPath"]);
const PASSIVE = new Set(["config", "server", "close"]);
const RAW = new Set(["request", "requestJson"]);

/** `client`, able only to read; `withCluster` keeps the restriction. */
export function readOnly(client: RestClient): RestClient {
  return new Proxy(client, {
    get(target, prop, _receiver) {
      const value = Reflect.get(target, prop, target);
      if (typeof prop !== "string") return value;
      if (prop === "withCluster") {
        return (cluster: string) => readOnly(target.withCluster(cluster));
      }
      if (READS.has(prop) || PASSIVE.has(prop)) {
        return typeof value === "function" ? value.bind(target) : value;
      }
      if (RAW.has(prop)) {
        return (method: string, ...rest: unknown[]) => {
          if (method.toUpperCase() !== "GET") throw new ReadOnlyViolation(`${method} ${rest[0]}`);
          return (value as (...a: unknown[]) => unknown).call(target, method, ...rest);
        };
      }
      if (typeof value === "function") {
        return () => {
          throw new ReadOnlyViolation(prop);
        };
      }
      return value;
    },
  });
}
