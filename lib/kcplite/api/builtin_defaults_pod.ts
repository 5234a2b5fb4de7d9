/**
 * The Kubernetes API server's defaults for a PodSpec (core/v1 `SetDefaults_PodSpec`,
 * `SetDefaults_Container`, `SetDefaults_Volume` and the volume-source, probe, port and
 * field-selector defaulters), wherever a PodSpec appears: in Pods and in the pod templates
 * of the workload kinds. Pods get a little more (`enableServiceLinks`, requests from
 * limits), as `SetDefaults_Pod` does. Every default only fills in what is absent.
 *
 * @example
 * ```ts
 * const spec = { containers: [{ name: "c", image: "nginx" }] };
 * defaultPodSpec(spec, false);
 * spec.containers[0].imagePullPolicy; // "Always" (no tag means :latest)
 * ```
 *
 * @module
 */

/** A JSON object being defaulted in place. */
export type JsonObject = Record<string, unknown>;

/** Sets `obj[field]` to `value` when it is absent (undefined, null or ""). */
export function fill(obj: JsonObject, field: string, value: unknown): void {
  const current = obj[field];
  if (current === undefined || current === null || current === "") obj[field] = value;
}

/** `obj[field]` when it is a JSON object, else undefined. */
export function objectAt(obj: JsonObject, field: string): JsonObject | undefined {
  const v = obj[field];
  return v && typeof v === "object" && !Array.isArray(v) ? v as JsonObject : undefined;
}

/** The JSON objects of the array at `obj[field]` (non-objects are skipped). */
export function objectsAt(obj: JsonObject, field: string): JsonObject[] {
  const v = obj[field];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is JsonObject => !!x && typeof x === "object" && !Array.isArray(x));
}

/** `0644`, the mode the server gives files of secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_VOLUME_MODE = 0o644;

/**
 * The tag of an image reference as the server reads it: the explicit tag, else `latest`
 * when there is no digest either, else "".
 */
export function imageTag(image: string): string {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) return name.slice(colon + 1);
  return at >= 0 || image === "" ? "" : "latest";
}

/** `Always` for `:latest` (or no tag and no digest), else `IfNotPresent`. */
export function defaultPullPolicy(image: unknown): string {
  return imageTag(typeof image === "string" ? image : "") === "latest" ? "Always" : "IfNotPresent";
}

function defaultFieldRef(holder: JsonObject | undefined): void {
  const ref = holder && objectAt(holder, "fieldRef");
  if (ref) fill(ref, "apiVersion", "v1");
}

function defaultHttpGet(handler: JsonObject | undefined): void {
  const get = handler && objectAt(handler, "httpGet");
  if (!get) return;
  fill(get, "path", "/");
  fill(get, "scheme", "HTTP");
}

function defaultProbe(probe: JsonObject | undefined): void {
  if (!probe) return;
  fill(probe, "timeoutSeconds", 1);
  fill(probe, "periodSeconds", 10);
  fill(probe, "successThreshold", 1);
  fill(probe, "failureThreshold", 3);
  defaultHttpGet(probe);
}

/** Defaults of one container (also init and ephemeral containers). */
export function defaultContainer(container: JsonObject, hostNetwork: boolean): void {
  fill(container, "terminationMessagePath", "/dev/termination-log");
  fill(container, "terminationMessagePolicy", "File");
  fill(container, "imagePullPolicy", defaultPullPolicy(container.image));
  if (container.resources === undefined) container.resources = {};
  for (const port of objectsAt(container, "ports")) {
    fill(port, "protocol", "TCP");
    if (hostNetwork) fill(port, "hostPort", port.containerPort);
  }
  for (const env of objectsAt(container, "env")) defaultFieldRef(objectAt(env, "valueFrom"));
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    defaultProbe(objectAt(container, probe));
  }
  const lifecycle = objectAt(container, "lifecycle");
  if (lifecycle) {
    defaultHttpGet(objectAt(lifecycle, "postStart"));
    defaultHttpGet(objectAt(lifecycle, "preStop"));
  }
}

function defaultItemsFieldRefs(source: JsonObject | undefined): void {
  if (source) { for (const item of objectsAt(source, "items")) defaultFieldRef(item); }
}

/** What each volume source gets, by the source's field name. */
const VOLUME_SOURCE_DEFAULTS: Record<string, (source: JsonObject) => void> = {
  secret: (s) => fill(s, "defaultMode", DEFAULT_VOLUME_MODE),
  configMap: (s) => fill(s, "defaultMode", DEFAULT_VOLUME_MODE),
  downwardAPI: (s) => {
    fill(s, "defaultMode", DEFAULT_VOLUME_MODE);
    defaultItemsFieldRefs(s);
  },
  projected: (s) => {
    fill(s, "defaultMode", DEFAULT_VOLUME_MODE);
    for (const source of objectsAt(s, "sources")) {
      defaultItemsFieldRefs(objectAt(source, "downwardAPI"));
      const token = objectAt(source, "serviceAccountToken");
      if (token) fill(token, "expirationSeconds", 3600);
    }
  },
  hostPath: (s) => {
    if (s.type === undefined || s.type === null) s.type = "";
  },
};

/** Defaults of one volume: `emptyDir: {}` when it names no source, then the source's own. */
export function defaultVolume(volume: JsonObject): void {
  const sources = Object.keys(volume).filter((k) => k !== "name" && volume[k] != null);
  if (sources.length === 0) volume.emptyDir = {};
  for (const field of sources) {
    const source = objectAt(volume, field);
    if (source) VOLUME_SOURCE_DEFAULTS[field]?.(source);
  }
}

/**
 * Defaults of a PodSpec in place. `isPod`: the spec of a Pod rather than of a template
 * (adds `enableServiceLinks` and requests copied from limits).
 */
export function defaultPodSpec(spec: JsonObject, isPod: boolean): void {
  fill(spec, "dnsPolicy", "ClusterFirst");
  fill(spec, "restartPolicy", "Always");
  fill(spec, "terminationGracePeriodSeconds", 30);
  fill(spec, "schedulerName", "default-scheduler");
  fill(spec, "securityContext", {});
  const hostNetwork = spec.hostNetwork === true;
  const fields = ["initContainers", "containers", ...(isPod ? ["ephemeralContainers"] : [])];
  for (const field of fields) {
    for (const container of objectsAt(spec, field)) {
      defaultContainer(container, hostNetwork);
      if (isPod) defaultRequestsFromLimits(container);
    }
  }
  for (const volume of objectsAt(spec, "volumes")) defaultVolume(volume);
  if (isPod) fill(spec, "enableServiceLinks", true);
}

/** A Pod's container without requests for some limited resource requests its limit. */
function defaultRequestsFromLimits(container: JsonObject): void {
  const resources = objectAt(container, "resources");
  const limits = resources && objectAt(resources, "limits");
  if (!resources || !limits) return;
  const requests = objectAt(resources, "requests") ?? {};
  for (const [name, quantity] of Object.entries(limits)) {
    if (requests[name] === undefined) requests[name] = quantity;
  }
  if (Object.keys(requests).length > 0) resources.requests = requests;
}

/** Defaults of the PodSpec of a pod template (`{metadata, spec}`) when there is one. */
export function defaultPodTemplate(template: JsonObject | undefined): void {
  const spec = template && objectAt(template, "spec");
  if (spec) defaultPodSpec(spec, false);
}
