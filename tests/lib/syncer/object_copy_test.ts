import { assertEquals, assertTrue } from "../../support/assert.ts";
import {
  containedIn,
  copyForTarget,
  isCreateOnly,
  isOwned,
  sameContent,
} from "../../../lib/syncer/object_copy.ts";

const DOWN = "edge.kubestellar.io/downsynced";

Deno.test("copyForTarget strips server fields and status, marks ownership", () => {
  const source = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "cm",
      namespace: "ns",
      uid: "u1",
      resourceVersion: "7",
      creationTimestamp: "2024-01-01T00:00:00Z",
      managedFields: [{}],
      ownerReferences: [{ name: "x" }],
      labels: { a: "b" },
      annotations: { "kcp.io/cluster": "abc", keep: "me" },
    },
    data: { k: "v" },
    status: { s: 1 },
  };
  const copy = copyForTarget(source, DOWN);
  assertEquals(copy, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "cm",
      namespace: "ns",
      labels: { a: "b" },
      annotations: { keep: "me", [DOWN]: "ConfigMap/ns/cm" },
    },
    data: { k: "v" },
  });
  assertEquals(source.metadata.uid, "u1", "the source is not modified");
  assertEquals(copyForTarget(source, DOWN, true).status, { s: 1 });
  assertTrue(isOwned(copy, DOWN));
  assertTrue(!isOwned({ ...copy, metadata: { ...copy.metadata, annotations: {} } }, DOWN));
  assertTrue(
    !isOwned({
      kind: "ConfigMap",
      metadata: { name: "other", namespace: "ns", annotations: { [DOWN]: "ConfigMap/ns/cm" } },
    }, DOWN),
  );
});

Deno.test("sameContent ignores server defaults but not label or annotation changes", () => {
  const desired = {
    kind: "Deployment",
    metadata: { name: "d", labels: { a: "1" } },
    spec: { replicas: 1 },
  };
  const target = {
    kind: "Deployment",
    metadata: {
      name: "d",
      uid: "x",
      resourceVersion: "3",
      labels: { a: "1" },
      annotations: { "kcp.io/cluster": "z" },
    },
    spec: { replicas: 1, strategy: { type: "RollingUpdate" } },
    status: { readyReplicas: 1 },
  };
  assertTrue(sameContent(desired, target));
  assertTrue(!sameContent({ ...desired, spec: { replicas: 2 } }, target));
  assertTrue(!sameContent({ ...desired, metadata: { name: "d", labels: { a: "2" } } }, target));
  assertTrue(
    !sameContent({ ...desired, metadata: { name: "d" } }, target),
    "a removed label is a change",
  );
  assertTrue(containedIn({ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: 3 }], d: 4 }));
  assertTrue(!containedIn({ a: [1] }, { a: [1, 2] }));
  assertTrue(
    isCreateOnly({
      metadata: { annotations: { "edge.kubestellar.io/downsync-overwrite": "false" } },
    }),
  );
  assertTrue(!isCreateOnly({ metadata: {} }));
});
