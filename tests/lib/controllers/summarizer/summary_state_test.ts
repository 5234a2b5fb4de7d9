import { compileSummarizer } from "../../../../lib/controllers/summarizer/summarizer_spec.ts";
import { SummaryState } from "../../../../lib/controllers/summarizer/summary_state.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { assertEquals, assertTrue } from "../../../support/assert.ts";

const objects = [{ apiGroup: "apps", resources: ["deployments"] }];
const cluster = (name: string) => ({ name, location: name, labels: { env: "prod" } });
const dep = (name: string, ready?: number): KubeObject => ({
  metadata: { namespace: "ns", name },
  spec: { replicas: 2 },
  ...(ready === undefined ? {} : { status: { readyReplicas: ready } }),
});

Deno.test("summarizer spec: CEL and shape errors are problems, never throws", () => {
  const s = compileSummarizer({
    objects: [{ apiGroup: "apps", resources: ["*"] }],
    groupBy: [{ name: "ok", def: "obj.status.(" }, { name: "ok", def: "true" }],
    combinedFields: [
      { name: "n", type: "COUNT" },
      { name: "n", type: "COUNT" },
      { name: "s", type: "SUM" },
      { name: "t", type: "MEDIAN" as "SUM", subject: "1" },
      { name: "group", type: "COUNT" },
    ],
    brokenWhen: "&&",
    limit: -1,
  });
  const text = s.problems.join("\n");
  for (
    const want of [
      'spec.objects[0]: name the resources (no "*")',
      "spec.groupBy[0].def: invalid CEL expression",
      'spec.groupBy[1]: name "ok" is not a unique identifier',
      'spec.combinedFields[1]: name "n" is used twice',
      "spec.combinedFields[2].subject: an expression is required",
      'spec.combinedFields[3]: type "MEDIAN" is not COUNT',
      'spec.combinedFields[4]: name "group" is used twice (or is reserved)',
      "spec.brokenWhen: invalid CEL expression",
      "spec.limit: -1 is not a count",
    ]
  ) assertTrue(text.includes(want), `${want}\n---\n${text}`);
  assertEquals(compileSummarizer(undefined).problems, ["spec.objects: name at least one clause"]);
});

Deno.test("summarizer spec: ints stay ints, cluster is bound, runtime failures are reported", () => {
  const s = compileSummarizer({
    objects,
    groupBy: [
      { name: "env", def: "cluster.labels['env']" },
      { name: "half", def: "obj.spec.replicas / 2" },
    ],
    combinedFields: [{ name: "r", type: "SUM", subject: "obj.status.readyReplicas" }],
    brokenWhen: "obj.status.readyReplicas < obj.spec.replicas",
  });
  assertEquals(s.problems, []);
  const ok = s.contribution(dep("a", 1), cluster("c1"));
  assertEquals(ok.group, { env: "prod", half: 1 });
  assertEquals(ok.values, [1]);
  assertEquals(ok.broken, "brokenWhen holds: obj.status.readyReplicas < obj.spec.replicas");
  const unreported = s.contribution(dep("b"), cluster("c1"));
  assertEquals(unreported.values, [undefined]);
  assertTrue(unreported.failures.some((f) => f.startsWith("r: ")), unreported.failures.join());
});

Deno.test("summary state: COUNT/SUM/MIN/MAX/AVG follow puts and removals", () => {
  const s = compileSummarizer({
    objects,
    groupBy: [{ name: "ready", def: "obj.status.readyReplicas >= obj.spec.replicas" }],
    combinedFields: [
      { name: "n", type: "COUNT" },
      { name: "sum", type: "SUM", subject: "obj.status.readyReplicas" },
      { name: "min", type: "MIN", subject: "obj.status.readyReplicas" },
      { name: "max", type: "MAX", subject: "obj.status.readyReplicas" },
      { name: "avg", type: "AVG", subject: "obj.status.readyReplicas" },
    ],
    brokenWhen: "obj.status.readyReplicas < obj.spec.replicas",
    limit: 2,
  });
  const state = new SummaryState(s.combined);
  const put = (mb: string, ready: number) =>
    state.put(`${mb}|k`, mb, s.contribution(dep("d", ready), cluster(mb)));
  put("c3", 0);
  put("c1", 1);
  put("c2", 0);
  put("c4", 2);
  assertEquals(state.rows(), [
    { group: { ready: false }, n: 3, sum: 1, min: 0, max: 1, avg: 1 / 3 },
    { group: { ready: true }, n: 1, sum: 2, min: 2, max: 2, avg: 2 },
  ]);
  assertEquals(state.broken(2), {
    list: ["c1", "c2"].map((c) => ({
      cluster: c,
      namespace: "ns",
      name: "d",
      reason: "brokenWhen holds: obj.status.readyReplicas < obj.spec.replicas",
    })),
    count: 3,
  });
  assertEquals(state.observedClusters(), 4);
  const changes = state.changes;
  assertEquals(put("c1", 1), false, "an unchanged contribution changes nothing");
  assertEquals(state.changes, changes);
  state.put("c1|k", "c1", undefined);
  assertEquals(state.rows()[0], { group: { ready: false }, n: 2, sum: 0, min: 0, max: 0, avg: 0 });
  put("c3", 2);
  assertEquals(state.rows(), [
    { group: { ready: false }, n: 1, sum: 0, min: 0, max: 0, avg: 0 },
    { group: { ready: true }, n: 2, sum: 4, min: 2, max: 2, avg: 2 },
  ]);
  assertEquals(state.keysIn("c3"), ["c3|k"]);
  assertEquals(state.broken(20).count, 1);
  assertEquals(state.changes, changes + 2);
});
