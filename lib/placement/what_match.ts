/**
 * The "what" of an EdgePlacement: whether a workload object is selected by a
 * `downsync` test, and whether an `upsync` clause claims it (controllers-spec §1.2,
 * §4.3.2). Pure functions; the caller supplies the object's Namespace labels.
 *
 * @module
 */
import { naturedOf } from "../denature/denatured_kinds.ts";
import {
  type Labels,
  type LabelSelector,
  labelSelectorFromObject,
  type Selector,
} from "../kube/label_selector.ts";

/** One `downsync` test of an EdgePlacement. */
export interface DownsyncTest {
  apiGroup?: string | null;
  resources?: string[];
  namespaces?: string[];
  namespaceSelectors?: LabelSelector[];
  objectNames?: string[];
  labelSelectors?: LabelSelector[];
}

/** One `upsync` clause. */
export interface UpsyncClause {
  apiGroup?: string;
  resources?: string[];
  namespaces?: string[];
  names?: string[];
}

/** What a test is matched against. */
export interface ObjectRef {
  group: string;
  resource: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
  labels?: Labels;
}

/** Which criterion selected an object (for `preview`). */
export interface MatchReason {
  testIndex: number;
  description: string;
}

function listed(list: string[] | undefined, value: string): boolean {
  return list === undefined || list.length === 0 || list.includes("*") || list.includes(value);
}

/**
 * True when `obj` passes every criterion present in `test` (an empty or absent
 * criterion matches everything). `namespaceLabels` are the labels of the object's
 * Namespace; cluster-scoped objects are tested against an empty label set.
 */
export function matchesDownsyncTest(
  obj: ObjectRef,
  test: DownsyncTest,
  namespaceLabels?: Labels,
): boolean {
  if (!testGroupCovers(test.apiGroup, obj.group, obj.resource)) return false;
  if (!listed(test.resources, obj.resource)) return false;
  if (test.namespaces && test.namespaces.length > 0) {
    if (obj.namespace === "") return false;
    if (!listed(test.namespaces, obj.namespace)) return false;
  }
  if (test.namespaceSelectors && test.namespaceSelectors.length > 0) {
    const labels = obj.namespace === "" ? {} : (namespaceLabels ?? {});
    if (!test.namespaceSelectors.some((s) => labelSelectorFromObject(s).matches(labels))) {
      return false;
    }
  }
  if (!listed(test.objectNames, obj.name)) return false;
  if (test.labelSelectors && test.labelSelectors.length > 0) {
    if (!test.labelSelectors.some((s) => labelSelectorFromObject(s).matches(obj.labels ?? {}))) {
      return false;
    }
  }
  return true;
}

/**
 * True when a test's `apiGroup` (absent: any) covers objects of `group/resource`. A test
 * naming the natured group of a denatured resource covers it too: a test for
 * `rbac.authorization.k8s.io` rolebindings selects the denatured RoleBindings, since users
 * think in natured terms (docs/denaturing.md).
 */
export function testGroupCovers(
  testGroup: string | null | undefined,
  group: string,
  resource: string,
): boolean {
  if (testGroup === undefined || testGroup === null || testGroup === group) return true;
  return naturedOf(group, resource)?.group === testGroup;
}

/** A downsync test with its selectors parsed once. */
export type CompiledDownsyncTest = (obj: ObjectRef, namespaceLabels?: Labels) => boolean;

/**
 * `matchesDownsyncTest` with the selectors of `test` parsed once (for matching many
 * objects against one test). Throws a `SelectorError` when a selector does not parse.
 */
export function compileDownsyncTest(test: DownsyncTest): CompiledDownsyncTest {
  const compile = (list: LabelSelector[] | undefined): Selector[] | undefined =>
    list && list.length > 0 ? list.map((s) => labelSelectorFromObject(s)) : undefined;
  const nsSelectors = compile(test.namespaceSelectors);
  const labelSelectors = compile(test.labelSelectors);
  const plain: DownsyncTest = { ...test, namespaceSelectors: undefined, labelSelectors: undefined };
  return (obj, namespaceLabels) => {
    if (!matchesDownsyncTest(obj, plain)) return false;
    if (nsSelectors) {
      const labels = obj.namespace === "" ? {} : (namespaceLabels ?? {});
      if (!nsSelectors.some((s) => s.matches(labels))) return false;
    }
    return !labelSelectors || labelSelectors.some((s) => s.matches(obj.labels ?? {}));
  };
}

/** The index of the first test `obj` matches, or -1. */
export function firstMatchingTest(
  obj: ObjectRef,
  tests: DownsyncTest[],
  namespaceLabels?: Labels,
): number {
  return tests.findIndex((t) => matchesDownsyncTest(obj, t, namespaceLabels));
}

function claimed(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes("*") || list.includes(value));
}

/**
 * True when an upsync clause claims `obj` (upsync takes precedence over downsync).
 * Empty lists claim nothing; `"*"` claims anything. Cluster-scoped objects are not
 * constrained by `namespaces`. (Upstream compared the wrong fields; this follows the
 * documented semantics.)
 */
export function matchesUpsyncClause(obj: ObjectRef, clause: UpsyncClause): boolean {
  if ((clause.apiGroup ?? "") !== obj.group) return false;
  if (!claimed(clause.resources, obj.resource)) return false;
  if (obj.namespace !== "" && !claimed(clause.namespaces, obj.namespace)) return false;
  return claimed(clause.names, obj.name);
}

/** Describes a test for people ("configmaps in commonstuff named httpd-htdocs"). */
export function describeDownsyncTest(test: DownsyncTest): string {
  const parts: string[] = [];
  const group = test.apiGroup === undefined || test.apiGroup === null
    ? "any group"
    : test.apiGroup === ""
    ? "core group"
    : `group ${test.apiGroup}`;
  parts.push(`${(test.resources?.length ? test.resources : ["*"]).join(",")} (${group})`);
  if (test.namespaces?.length) parts.push(`namespaces ${test.namespaces.join(",")}`);
  if (test.namespaceSelectors?.length) {
    parts.push(`namespaceSelectors ${JSON.stringify(test.namespaceSelectors)}`);
  }
  if (test.objectNames?.length) parts.push(`names ${test.objectNames.join(",")}`);
  if (test.labelSelectors?.length) {
    parts.push(`labelSelectors ${JSON.stringify(test.labelSelectors)}`);
  }
  return parts.join(", ");
}
