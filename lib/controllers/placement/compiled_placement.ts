/**
 * One EdgePlacement's "what" prepared for matching many objects (controllers-spec
 * §4.3.2): its downsync tests with their label selectors parsed once, its upsync
 * clauses, and the test an object passes first. A test whose selector does not parse
 * selects nothing and is reported as a problem.
 *
 * Every call of `select` counts one selector evaluation (`evaluations`), which the
 * translator's counting tests read: the work per event is pinned by those counts.
 *
 * @example
 * ```ts
 * const cp = new CompiledPlacement(ep);
 * cp.select(info, configMap, namespaceLabels); // index of the first matching test, or -1
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import type { Labels } from "../../kube/label_selector.ts";
import { isSystemObject } from "../../placement/resource_modes.ts";
import {
  type CompiledDownsyncTest,
  compileDownsyncTest,
  type DownsyncTest,
  matchesUpsyncClause,
  type ObjectRef,
  type UpsyncClause,
} from "../../placement/what_match.ts";
import type { ApiResourceInfo } from "./discovery.ts";

/** A counter the selection increments (shared by everything one translator runs). */
export interface EvaluationCounter {
  evaluations: number;
}

/** The tests, compiled, of one EdgePlacement. */
export class CompiledPlacement {
  readonly placement: EdgePlacement;
  readonly tests: DownsyncTest[];
  /** Compiled tests; undefined where the test's selectors do not parse. */
  readonly compiled: (CompiledDownsyncTest | undefined)[];
  /** One line per test whose selectors do not parse. */
  readonly selectorProblems: string[] = [];
  readonly upsync: UpsyncClause[];
  /** True when some usable test has namespace selectors (Namespace labels matter). */
  readonly usesNamespaceSelectors: boolean;
  readonly #counter: EvaluationCounter;

  constructor(placement: EdgePlacement, counter: EvaluationCounter = { evaluations: 0 }) {
    this.placement = placement;
    this.#counter = counter;
    this.tests = (placement.spec?.downsync ?? []) as DownsyncTest[];
    this.upsync = (placement.spec?.upsync ?? []) as UpsyncClause[];
    this.compiled = this.tests.map((t, i) => {
      try {
        return compileDownsyncTest(t);
      } catch (e) {
        this.selectorProblems.push(
          `downsync[${i}] has an invalid selector: ${e instanceof Error ? e.message : e}`,
        );
        return undefined;
      }
    });
    this.usesNamespaceSelectors = this.tests.some((t, i) =>
      this.compiled[i] !== undefined && (t.namespaceSelectors?.length ?? 0) > 0
    );
  }

  /** True when `wantSingletonReportedState` is set. */
  get wantsSingleton(): boolean {
    return this.placement.spec?.wantSingletonReportedState === true;
  }

  /**
   * The index of the first downsync test selecting `object` (of resource `info`), or -1:
   * none does, it is being deleted, it is a system object, or an upsync clause claims it.
   */
  select(info: ApiResourceInfo, object: KubeObject, namespaceLabels: Labels | undefined): number {
    this.#counter.evaluations++;
    if (object.metadata?.deletionTimestamp) return -1;
    if (isSystemObject(info.group, info.resource, object)) return -1;
    const ref: ObjectRef = {
      group: info.group,
      resource: info.resource,
      namespace: info.namespaced ? (object.metadata?.namespace ?? "") : "",
      name: object.metadata?.name ?? "",
      labels: object.metadata?.labels,
    };
    const index = this.compiled.findIndex((t) => t !== undefined && t(ref, namespaceLabels));
    if (index < 0) return -1;
    return this.upsync.some((u) => matchesUpsyncClause(ref, u)) ? -1 : index;
  }
}

/** The object key of a part within a destination: `group/resource|namespace/name`. */
export function partKey(
  info: { group: string; resource: string },
  namespace: string,
  name: string,
): string {
  return `${info.group}/${info.resource}|${namespace}/${name}`;
}

/** Splits a `partKey`. */
export function splitPartKey(
  key: string,
): { group: string; resource: string; namespace: string; name: string } {
  const bar = key.indexOf("|");
  const gr = key.slice(0, bar);
  const slash = gr.indexOf("/");
  const rest = key.slice(bar + 1);
  const nsSlash = rest.indexOf("/");
  return {
    group: gr.slice(0, slash),
    resource: gr.slice(slash + 1),
    namespace: rest.slice(0, nsSlash),
    name: rest.slice(nsSlash + 1),
  };
}
