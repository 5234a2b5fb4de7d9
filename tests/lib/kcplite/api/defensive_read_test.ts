/**
 * No stored object can make a read fail (issue 13 item 3): every built-in kind's Table
 * printer and defaulter copes with objects of any shape (stored before validation existed,
 * or written behind the API's back), so one odd object never turns a list into a 500.
 *
 * @module
 */
import { assertEquals } from "../../../support/assert.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { admitBuiltinDefaults } from "../../../../lib/kcplite/api/builtin_defaults.ts";
import { toTable } from "../../../../lib/kcplite/api/table.ts";

/** Objects of shapes no schema allows. */
function oddObjects(kind: string): KubeObject[] {
  const shapes: unknown[] = [5, "x", null, [1, "x", null], { ports: 5, containers: "x" }];
  return shapes.flatMap((odd, i) => [
    {
      apiVersion: "v1",
      kind,
      metadata: { name: `odd-${i}`, creationTimestamp: odd as string },
      spec: odd,
      status: odd,
      data: odd,
      secrets: odd,
      roleRef: odd,
      involvedObject: odd,
      type: odd,
    } as unknown as KubeObject,
    {
      apiVersion: "v1",
      kind,
      metadata: { name: `nested-${i}` },
      spec: {
        ports: odd,
        containers: odd,
        externalIPs: odd,
        template: { spec: { containers: odd, volumes: odd } },
      },
      status: { conditions: odd, containerStatuses: odd, active: odd, phase: odd },
    } as unknown as KubeObject,
  ]);
}

Deno.test("Tables of every built-in kind survive objects of any shape", () => {
  for (const def of kubeModeBuiltins()) {
    const items = oddObjects(def.kind);
    const table = toTable(def, items, { includeObject: "None" });
    assertEquals(table.rows.length, items.length, def.resource);
    for (const row of table.rows) {
      assertEquals(row.cells.length, table.columnDefinitions.length, def.resource);
    }
  }
});

Deno.test("defaulters of every built-in kind survive objects of any shape", () => {
  for (const def of kubeModeBuiltins()) {
    for (const object of oddObjects(def.kind)) {
      admitBuiltinDefaults({ operation: "CREATE", def, object }, () => []);
      admitBuiltinDefaults({ operation: "UPDATE", def, object, oldObject: object }, () => []);
    }
  }
});
