/**
 * Protobuf schemas of core/v1 `Container` and what it is made of: ports, environment,
 * resources, volume mounts, probes, lifecycle hooks and the security context. Everything
 * `kubectl create deployment|job|cronjob` can set is here, and the rest of Container too.
 *
 * @module
 */
import {
  bool,
  INLINE,
  int,
  intOrString,
  KEEP,
  LOCAL_OBJECT_REFERENCE,
  mapOf,
  msg,
  quantity,
  REP,
  type Schema,
  str,
} from "./protobuf_schemas_types.ts";

/** core/v1 ContainerPort. */
const CONTAINER_PORT: Schema = {
  1: str("name"),
  2: int("hostPort"),
  3: int("containerPort", KEEP),
  4: str("protocol"),
  5: str("hostIP"),
};

/** A `{localObjectReference (inline), key, optional}` selector of a ConfigMap or Secret key. */
const KEY_SELECTOR: Schema = {
  1: msg("", LOCAL_OBJECT_REFERENCE, INLINE),
  2: str("key"),
  3: bool("optional", KEEP),
};

/** core/v1 EnvVarSource. */
const ENV_VAR_SOURCE: Schema = {
  1: msg("fieldRef", { 1: str("apiVersion"), 2: str("fieldPath") }),
  2: msg("resourceFieldRef", {
    1: str("containerName"),
    2: str("resource"),
    3: quantity("divisor"),
  }),
  3: msg("configMapKeyRef", KEY_SELECTOR),
  4: msg("secretKeyRef", KEY_SELECTOR),
};

/** core/v1 EnvVar. */
const ENV_VAR: Schema = {
  1: str("name"),
  2: str("value"),
  3: msg("valueFrom", ENV_VAR_SOURCE),
};

/** A `{localObjectReference (inline), optional}` reference to a ConfigMap or Secret. */
const ENV_SOURCE_REFERENCE: Schema = {
  1: msg("", LOCAL_OBJECT_REFERENCE, INLINE),
  2: bool("optional", KEEP),
};

/** core/v1 EnvFromSource. */
const ENV_FROM_SOURCE: Schema = {
  1: str("prefix"),
  2: msg("configMapRef", ENV_SOURCE_REFERENCE),
  3: msg("secretRef", ENV_SOURCE_REFERENCE),
};

/** core/v1 ResourceRequirements: limits and requests are maps of Quantity. */
export const RESOURCE_REQUIREMENTS: Schema = {
  1: mapOf("limits", "quantity"),
  2: mapOf("requests", "quantity"),
  3: msg("claims", { 1: str("name"), 2: str("request") }, REP),
};

/** core/v1 VolumeMount. */
const VOLUME_MOUNT: Schema = {
  1: str("name"),
  2: bool("readOnly"),
  3: str("mountPath"),
  4: str("subPath"),
  5: str("mountPropagation", KEEP),
  6: str("subPathExpr"),
  7: str("recursiveReadOnly", KEEP),
};

const EXEC_ACTION: Schema = { 1: str("command", REP) };
const HTTP_GET_ACTION: Schema = {
  1: str("path"),
  2: intOrString("port", KEEP),
  3: str("host"),
  4: str("scheme"),
  5: msg("httpHeaders", { 1: str("name"), 2: str("value") }, REP),
};
const TCP_SOCKET_ACTION: Schema = { 1: intOrString("port", KEEP), 2: str("host") };

/** core/v1 ProbeHandler (inlined into Probe). */
const PROBE_HANDLER: Schema = {
  1: msg("exec", EXEC_ACTION),
  2: msg("httpGet", HTTP_GET_ACTION),
  3: msg("tcpSocket", TCP_SOCKET_ACTION),
  4: msg("grpc", { 1: int("port", KEEP), 2: str("service", KEEP) }),
};

/** core/v1 Probe. */
const PROBE: Schema = {
  1: msg("", PROBE_HANDLER, INLINE),
  2: int("initialDelaySeconds"),
  3: int("timeoutSeconds"),
  4: int("periodSeconds"),
  5: int("successThreshold"),
  6: int("failureThreshold"),
  7: int("terminationGracePeriodSeconds", KEEP),
};

/** core/v1 LifecycleHandler. */
const LIFECYCLE_HANDLER: Schema = {
  1: msg("exec", EXEC_ACTION),
  2: msg("httpGet", HTTP_GET_ACTION),
  3: msg("tcpSocket", TCP_SOCKET_ACTION),
  4: msg("sleep", { 1: int("seconds", KEEP) }),
};

/** core/v1 Lifecycle. */
const LIFECYCLE: Schema = {
  1: msg("postStart", LIFECYCLE_HANDLER),
  2: msg("preStop", LIFECYCLE_HANDLER),
  3: str("stopSignal", KEEP),
};

/** core/v1 SELinuxOptions. */
export const SE_LINUX_OPTIONS: Schema = {
  1: str("user"),
  2: str("role"),
  3: str("type"),
  4: str("level"),
};

/** core/v1 WindowsSecurityContextOptions. */
export const WINDOWS_OPTIONS: Schema = {
  1: str("gmsaCredentialSpecName", KEEP),
  2: str("gmsaCredentialSpec", KEEP),
  3: str("runAsUserName", KEEP),
  4: bool("hostProcess", KEEP),
};

/** core/v1 SeccompProfile and AppArmorProfile (same shape). */
export const SECURITY_PROFILE: Schema = { 1: str("type"), 2: str("localhostProfile", KEEP) };

/** core/v1 SecurityContext (of a container). */
const SECURITY_CONTEXT: Schema = {
  1: msg("capabilities", { 1: str("add", REP), 2: str("drop", REP) }),
  2: bool("privileged", KEEP),
  3: msg("seLinuxOptions", SE_LINUX_OPTIONS),
  4: int("runAsUser", KEEP),
  5: bool("runAsNonRoot", KEEP),
  6: bool("readOnlyRootFilesystem", KEEP),
  7: bool("allowPrivilegeEscalation", KEEP),
  8: int("runAsGroup", KEEP),
  9: str("procMount", KEEP),
  10: msg("windowsOptions", WINDOWS_OPTIONS),
  11: msg("seccompProfile", SECURITY_PROFILE),
  12: msg("appArmorProfile", SECURITY_PROFILE),
};

/** core/v1 Container (also the shape of init containers). */
export const CONTAINER: Schema = {
  1: str("name"),
  2: str("image"),
  3: str("command", REP),
  4: str("args", REP),
  5: str("workingDir"),
  6: msg("ports", CONTAINER_PORT, REP),
  7: msg("env", ENV_VAR, REP),
  8: msg("resources", RESOURCE_REQUIREMENTS),
  9: msg("volumeMounts", VOLUME_MOUNT, REP),
  10: msg("livenessProbe", PROBE),
  11: msg("readinessProbe", PROBE),
  12: msg("lifecycle", LIFECYCLE),
  13: str("terminationMessagePath"),
  14: str("imagePullPolicy"),
  15: msg("securityContext", SECURITY_CONTEXT),
  16: bool("stdin"),
  17: bool("stdinOnce"),
  18: bool("tty"),
  19: msg("envFrom", ENV_FROM_SOURCE, REP),
  20: str("terminationMessagePolicy"),
  21: msg("volumeDevices", { 1: str("name"), 2: str("devicePath") }, REP),
  22: msg("startupProbe", PROBE),
  23: msg("resizePolicy", { 1: str("resourceName"), 2: str("restartPolicy") }, REP),
  24: str("restartPolicy", KEEP),
};
