import { assertEquals } from "../../support/assert.ts";
import {
  baseName,
  hasPathPrefix,
  isValidWorkspaceName,
  isValidWorkspacePath,
  joinPath,
  parentPath,
  parseClusterUrl,
  serverBase,
  workspaceServer,
} from "../../../lib/workspace/workspace_path.ts";
import { parseTypeFlag, typeReferenceString } from "../../../lib/workspace/workspace_object.ts";

Deno.test("workspace names and paths are validated like kcp's", () => {
  for (const ok of ["root", "a", "espw", "imw-1", "a1", "x".repeat(63)]) {
    assertEquals(isValidWorkspaceName(ok), true, ok);
  }
  for (const bad of ["", "Root", "-a", "a-", "a_b", "a.b", "x".repeat(64), "a:b"]) {
    assertEquals(isValidWorkspaceName(bad), false, bad);
  }
  for (const ok of ["root", "root:espw", "root:a:b-c", "system:admin", "2m0dtpobj6tuzdst"]) {
    assertEquals(isValidWorkspacePath(ok), true, ok);
  }
  for (const bad of ["", "root:", ":root", "root::a", "root:A", "~", "..", "-", "root/a"]) {
    assertEquals(isValidWorkspacePath(bad), false, bad);
  }
});

Deno.test("parent, base name, join and prefix of paths", () => {
  assertEquals(parentPath("root:a:b"), "root:a");
  assertEquals(parentPath("root"), undefined);
  assertEquals(parentPath("system:admin"), "system");
  assertEquals(baseName("root:a:b"), "b");
  assertEquals(baseName("root"), "root");
  assertEquals(joinPath("root:a", "b"), "root:a:b");
  assertEquals(hasPathPrefix("root:a", "root"), true);
  assertEquals(hasPathPrefix("root", "root"), true);
  assertEquals(hasPathPrefix("rooted:a", "root"), false);
  assertEquals(hasPathPrefix("universal", "root"), false);
});

Deno.test("server URLs split at the first /clusters/ and are rebuilt from base and path", () => {
  assertEquals(parseClusterUrl("https://h:6443/clusters/root:espw"), {
    base: "https://h:6443",
    path: "root:espw",
  });
  assertEquals(parseClusterUrl("https://h:6443/clusters/root/"), {
    base: "https://h:6443",
    path: "root",
  });
  assertEquals(parseClusterUrl("https://h/prefix/clusters/root:a/api/v1"), {
    base: "https://h/prefix",
    path: "root:a",
  });
  assertEquals(parseClusterUrl("https://h:6443"), undefined);
  assertEquals(parseClusterUrl("https://h:6443/clusters/"), undefined);
  assertEquals(parseClusterUrl("https://h:6443/clusters/Bad"), undefined);
  assertEquals(parseClusterUrl("not a url"), undefined);
  assertEquals(workspaceServer("https://h:6443", "root:a"), "https://h:6443/clusters/root:a");
  assertEquals(workspaceServer("https://h:6443/", "root"), "https://h:6443/clusters/root");
  assertEquals(serverBase("https://h:6443/clusters/root:a"), "https://h:6443");
  assertEquals(serverBase("https://h:6443/"), "https://h:6443");
});

Deno.test("workspace type references print as path:name and --type parses like kcp", () => {
  assertEquals(typeReferenceString({ name: "universal", path: "root" }), "root:universal");
  assertEquals(typeReferenceString({ name: "universal" }), "universal");
  assertEquals(typeReferenceString(undefined), "");
  assertEquals(parseTypeFlag("Universal"), { name: "universal" });
  assertEquals(parseTypeFlag("root:Organization"), { name: "organization", path: "root" });
  assertEquals(parseTypeFlag("root:org:team"), { name: "team", path: "root:org" });
});
