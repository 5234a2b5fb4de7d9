/**
 * What the status summarizer writes into a workload management workspace: the
 * `StatusSummary` of the same name as each StatusSummarizer (owned by it, so it goes
 * when the summarizer goes), and the summarizer's own conditions — `ExpressionsValid`
 * (every expression compiled and every field is well formed) and `Ready` (summarizing,
 * or why not: invalid spec, copies that cannot be read across mailboxes, a resource the
 * workspace does not serve, expressions that failed on some copies). A write happens only when what it says changed;
 * `lastUpdateTime` is when the summary last changed.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import {
  EDGE_API_VERSION,
  type StatusSummary,
  type SummarizerCondition,
} from "../../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { isAlreadyExists, isNotFound } from "../../kube/rest_errors.ts";
import { sameJson } from "../placement/projected_form.ts";
import type { SummarizerEntry } from "./wmw_summaries.ts";

/** The summary part of `status`, without `lastUpdateTime`. */
export function summaryContent(e: SummarizerEntry): Omit<
  NonNullable<StatusSummary["status"]>,
  "lastUpdateTime"
> {
  const broken = e.state.broken(e.compiled.limit);
  return {
    rows: e.state.rows(),
    broken: broken.list,
    brokenCount: broken.count,
    observedClusters: e.state.observedClusters(),
  };
}

function condition(
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  previous: SummarizerCondition[] | undefined,
  now: string,
): SummarizerCondition {
  const status = ok ? "True" : "False";
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before?.status === status && before.lastTransitionTime
    ? before.lastTransitionTime
    : now;
  return { type, status, reason, message, lastTransitionTime };
}

/** The summarizer's conditions now (transition times kept from `previous`). */
export function conditionsFor(
  e: SummarizerEntry,
  previous: SummarizerCondition[] | undefined,
  now: string,
  unreadable?: string,
): SummarizerCondition[] {
  const problems = e.compiled.problems;
  const valid = condition(
    "ExpressionsValid",
    problems.length === 0,
    problems.length === 0 ? "Compiled" : "InvalidSpec",
    problems.length === 0 ? "every expression compiled" : problems.join("; "),
    previous,
    now,
  );
  const failures = e.state.failures();
  let ready: SummarizerCondition;
  if (problems.length > 0) {
    ready = condition(
      "Ready",
      false,
      "InvalidSpec",
      "fix the spec (see ExpressionsValid)",
      previous,
      now,
    );
  } else if (unreadable) {
    ready = condition("Ready", false, "CopiesUnreadable", unreadable, previous, now);
  } else if (e.missing.length > 0) {
    ready = condition(
      "Ready",
      false,
      "ResourceNotServed",
      `the workspace does not serve ${e.missing.join(", ")}`,
      previous,
      now,
    );
  } else if (failures.copies > 0) {
    ready = condition(
      "Ready",
      false,
      "EvaluationFailed",
      `expressions failed on ${failures.copies} cop${failures.copies === 1 ? "y" : "ies"}: ` +
        failures.samples.join("; "),
      previous,
      now,
    );
  } else {
    ready = condition(
      "Ready",
      true,
      "Summarizing",
      `${e.state.size} cop${e.state.size === 1 ? "y" : "ies"} summarized`,
      previous,
      now,
    );
  }
  return [valid, ready];
}

/** Writes summaries and conditions into workspaces. */
export class SummaryWriter {
  readonly #base: RestClient;
  readonly #summaries: ResourceRef;
  readonly #summarizers: ResourceRef;
  /** Writes done so far. */
  writes = 0;

  constructor(base: RestClient, refs: { summaries: ResourceRef; summarizers: ResourceRef }) {
    this.#base = base;
    this.#summaries = refs.summaries;
    this.#summarizers = refs.summarizers;
  }

  /** Brings the summary of `e` in workspace `cluster` up to date (`existing`: the cached one). */
  async writeSummary(
    cluster: string,
    e: SummarizerEntry,
    existing: StatusSummary | undefined,
    now: string,
  ): Promise<void> {
    const content = summaryContent(e);
    if (existing?.status) {
      const { lastUpdateTime: _t, ...had } = existing.status;
      if (sameJson(had, content)) return;
    }
    const client = this.#base.withCluster(cluster);
    try {
      const ref = { ...this.#summaries, name: e.name };
      let current = existing as KubeObject | undefined;
      if (!current) {
        try {
          current = await client.create(this.#summaries, {
            apiVersion: EDGE_API_VERSION,
            kind: "StatusSummary",
            metadata: {
              name: e.name,
              ownerReferences: [{
                apiVersion: EDGE_API_VERSION,
                kind: "StatusSummarizer",
                name: e.name,
                uid: e.uid,
              }],
            },
          });
          this.writes++;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          current = await client.get<KubeObject>(ref);
        }
      }
      const { resourceVersion: _rv, ...metadata } = current!.metadata ?? {};
      await client.updateStatus(ref, {
        apiVersion: EDGE_API_VERSION,
        kind: "StatusSummary",
        metadata,
        status: { ...content, lastUpdateTime: now },
      });
      this.writes++;
    } finally {
      client.close();
    }
  }

  /** Deletes the summary `name` of `cluster` (gone already is fine). */
  async deleteSummary(cluster: string, name: string, uid: string | undefined): Promise<void> {
    const client = this.#base.withCluster(cluster);
    try {
      await client.delete({ ...this.#summaries, name }, uid ? { preconditions: { uid } } : {});
      this.writes++;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    } finally {
      client.close();
    }
  }

  /** Sets the summarizer's conditions when they changed. */
  async writeConditions(
    cluster: string,
    summarizer: KubeObject,
    conditions: SummarizerCondition[],
    generation: number,
  ): Promise<void> {
    const status = (summarizer.status ?? {}) as {
      conditions?: SummarizerCondition[];
      observedGeneration?: number;
    };
    if (status.observedGeneration === generation && sameJson(status.conditions, conditions)) {
      return;
    }
    const client = this.#base.withCluster(cluster);
    try {
      await client.patchStatus(
        { ...this.#summarizers, name: summarizer.metadata?.name ?? "" },
        { status: { observedGeneration: generation, conditions } },
        "merge",
      );
      this.writes++;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    } finally {
      client.close();
    }
  }
}
