import { assertEquals } from "../../support/assert.ts";
import { renderTree, workspaceTree } from "../../../lib/workspace/workspace_tree.ts";
import { withWsFixture } from "./ws_fixture.ts";

Deno.test("trees are drawn with kcp's branches and indentation", () => {
  assertEquals(
    renderTree([{
      label: "root",
      children: [
        { label: "a", children: [{ label: "a1", children: [] }, { label: "a2", children: [] }] },
        { label: "b", children: [{ label: "b1", children: [] }] },
      ],
    }]),
    [
      ".",
      "└── root",
      "    ├── a",
      "    │   ├── a1",
      "    │   └── a2",
      "    └── b",
      "        └── b1",
    ],
  );
});

Deno.test("ws tree lists child workspaces recursively, by name or full path", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "espw");
    f.kcp.addWorkspace("root", "compute", { type: { name: "universal", path: "root" } });
    f.kcp.addWorkspace("root:espw", "mb1", { type: { name: "universal", path: "root" } });
    f.kcp.addWorkspace("root:espw", "mb0", { phase: "Scheduling" });
    let p = await f.run((s) => workspaceTree(s));
    assertEquals(p.out, [
      ".",
      "└── root",
      "    ├── compute",
      "    └── espw",
      "        ├── mb0",
      "        └── mb1",
      "",
    ]);
    p = await f.run((s) => workspaceTree(s, { full: true }));
    assertEquals(p.out, [
      ".",
      "└── root",
      "    ├── root:compute",
      "    └── root:espw",
      "        ├── root:espw:mb0",
      "        └── root:espw:mb1",
      "",
    ]);
    // Ready children are visited through the id in their spec.URL.
    const ids = f.kcp.calls().filter((c) => /\/clusters\/[a-z0-9]{16}\//.test(c));
    assertEquals(ids.length > 0, true);
  });
});

Deno.test("ws tree starts at the current workspace", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "espw");
    f.kcp.addWorkspace("root:espw", "mb1", { type: { name: "universal", path: "root" } });
    const p = await f.run((s) => workspaceTree(s));
    assertEquals(p.out, [".", "└── espw", "    └── mb1", ""]);
  }, "root:espw");
});
