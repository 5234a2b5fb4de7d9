/**
 * kubectl's everyday mistakes (issue 17 item 4), run with real kubectl 1.32 against a
 * kcp-lite workspace or kube-mode server, each checked against the exact stderr line and
 * exit code kubectl prints against a kube-apiserver. The expected lines come from the
 * sources: kubectl's `resource mapping not found … ensure CRDs are installed first`
 * (cli-runtime `pkg/resource/mapper.go`, apimachinery `NoKindMatchError`), `the server
 * doesn't have a resource type` (kubectl `get`), `Error from server (Reason): error when
 * creating "STDIN": …` (kubectl's `AddSourceToErr` and `StandardErrorMessage`), and
 * kube-apiserver's Status messages for NotFound, AlreadyExists, Conflict and Forbidden.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import type { KubectlSession } from "../kubectl_session.ts";

/** Where the mistakes are made: kubectl arguments that pick the workspace or cluster. */
export interface MistakeTarget {
  k: KubectlSession;
  /** `--server …/clusters/<ws>` in kcp mode, nothing in kube mode. */
  server: string[];
}

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What a widget should be.
            properties:
              size: {type: integer, description: How big the widget is.}
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: default}
spec: {size: 3}
`;

function configMap(name: string, namespace = "default", rv?: string): string {
  const resourceVersion = rv ? `, resourceVersion: "${rv}"` : "";
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${namespace}${resourceVersion}}
data: {a: "1"}
`;
}

/** What kube-apiserver answers a service account without permissions listing ConfigMaps. */
export function forbiddenListLine(user: string): string {
  return `Error from server (Forbidden): configmaps is forbidden: User "${user}" cannot list ` +
    'resource "configmaps" in API group "" in the namespace "default"';
}

/** Asserts a failed run: exit code 1 and exactly these stderr lines. */
async function fails(t: MistakeTarget, args: string[], stdin: string | undefined, lines: string[]) {
  const r = await t.k.run([...t.server, ...args], stdin);
  assertEquals(r.stderr.trimEnd().split("\n"), lines, `kubectl ${args.join(" ")}`);
  assertEquals(r.code, 1);
  return r;
}

/** An object kind the server does not serve. */
export async function unknownKind(t: MistakeTarget): Promise<void> {
  await fails(
    t,
    ["apply", "-f", "-"],
    "apiVersion: example.com/v1\nkind: Foo\nmetadata: {name: x}\n",
    [
      'error: resource mapping not found for name: "x" namespace: "" from "STDIN": ' +
      'no matches for kind "Foo" in version "example.com/v1"',
      "ensure CRDs are installed first",
    ],
  );
}

/** A CRD and a custom resource of it in one file: mapping error first, created the second time. */
export async function crdAndCrInOneFile(t: MistakeTarget): Promise<void> {
  const file = `${WIDGET_CRD}---\n${WIDGET}`;
  const first = await fails(t, ["apply", "-f", "-"], file, [
    'error: resource mapping not found for name: "w1" namespace: "default" from "STDIN": ' +
    'no matches for kind "Widget" in version "example.com/v1"',
    "ensure CRDs are installed first",
  ]);
  assertEquals(
    first.stdout,
    "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n",
  );
  await t.k.until(
    [
      ...t.server,
      "get",
      "crd",
      "widgets.example.com",
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ],
    "True",
  );
  // kubectl caches discovery: the second apply finds the new kind after a refresh
  let out = "";
  for (let i = 0; i < 100; i++) {
    const r = await t.k.run([...t.server, "apply", "-f", "-"], file);
    if (r.code === 0) {
      out = r.stdout;
      break;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  assertEquals(
    out,
    "customresourcedefinition.apiextensions.k8s.io/widgets.example.com unchanged\n" +
      "widget.example.com/w1 created\n",
  );
}

/** A namespaced object in a namespace that does not exist. */
export async function missingNamespace(t: MistakeTarget): Promise<void> {
  await fails(t, ["create", "-f", "-"], configMap("c1", "nope"), [
    'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found',
  ]);
}

/** Creating what exists. */
export async function alreadyExists(t: MistakeTarget): Promise<void> {
  await t.k.ok([...t.server, "create", "-f", "-"], configMap("dup"));
  await fails(t, ["create", "-f", "-"], configMap("dup"), [
    'Error from server (AlreadyExists): error when creating "STDIN": configmaps "dup" already exists',
  ]);
}

/** Replacing with a stale resourceVersion. */
export async function staleResourceVersion(t: MistakeTarget): Promise<void> {
  await t.k.ok([...t.server, "create", "-f", "-"], configMap("stale"));
  const rv = await t.k.ok([
    ...t.server,
    "get",
    "configmap",
    "stale",
    "-n",
    "default",
    "-o",
    "jsonpath={.metadata.resourceVersion}",
  ]);
  await t.k.ok([...t.server, "label", "configmap", "stale", "-n", "default", "x=y"]);
  await fails(t, ["replace", "-f", "-"], configMap("stale", "default", rv), [
    'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled ' +
    'on configmaps "stale": the object has been modified; please apply your changes to the ' +
    "latest version and try again",
  ]);
}

/** A service account without permissions lists ConfigMaps. */
export async function forbiddenServiceAccount(t: MistakeTarget): Promise<void> {
  await t.k.ok([...t.server, "create", "serviceaccount", "nobody", "-n", "default"]);
  const token = (await t.k.ok([...t.server, "create", "token", "nobody", "-n", "default"])).trim();
  await fails(
    t,
    ["--token", token, "get", "configmaps", "-n", "default"],
    undefined,
    [forbiddenListLine("system:serviceaccount:default:nobody")],
  );
}

/** A field of a built-in kind for `kubectl explain`, and what kubectl should print for it. */
export interface ExplainedField {
  /** `deployments.spec.replicas`. */
  path: string;
  group: string;
  kind: string;
  /** `FIELD: replicas <integer>`. */
  field: string;
  /** A sentence of the field's description. */
  description: string;
}

/** `kubectl explain` of a built-in field and of a CRD field (the CRD of `crdAndCrInOneFile`). */
export async function explain(t: MistakeTarget, builtin: ExplainedField): Promise<void> {
  const out = await t.k.ok([...t.server, "explain", builtin.path]);
  if (builtin.group) assertStringIncludes(out, `GROUP:      ${builtin.group}\n`);
  assertStringIncludes(out, `KIND:       ${builtin.kind}\nVERSION:    v1\n`);
  assertStringIncludes(out, `\n${builtin.field}\n`);
  assertStringIncludes(out, builtin.description);
  const crd = await t.k.ok([...t.server, "explain", "widgets.spec.size"]);
  assertStringIncludes(crd, "GROUP:      example.com\nKIND:       Widget\nVERSION:    v1\n");
  assertStringIncludes(crd, "\nFIELD: size <integer>\n");
  assertStringIncludes(crd, "How big the widget is.");
}

/** `kubectl get` of a resource type nobody serves. */
export async function unknownResourceType(t: MistakeTarget): Promise<void> {
  await fails(t, ["get", "foos"], undefined, [
    'error: the server doesn\'t have a resource type "foos"',
  ]);
}

/** Every mistake above as steps of test `t`, in order (explain uses the CRD made before it). */
export async function allMistakes(
  t: Deno.TestContext,
  target: MistakeTarget,
  explained: ExplainedField,
): Promise<void> {
  await t.step("an unknown kind", () => unknownKind(target));
  await t.step("a CRD and its CR in one file", () => crdAndCrInOneFile(target));
  await t.step("a missing namespace", () => missingNamespace(target));
  await t.step("AlreadyExists", () => alreadyExists(target));
  await t.step("a stale resourceVersion", () => staleResourceVersion(target));
  await t.step("Forbidden for a service account", () => forbiddenServiceAccount(target));
  await t.step("kubectl explain", () => explain(target, explained));
  await t.step("an unknown resource type", () => unknownResourceType(target));
}
