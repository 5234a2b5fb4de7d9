import { assertEquals, assertRejects } from "../../../support/assert.ts";
import { parseControllerFlags } from "../../../../lib/controllers/runtime/controller_flags.ts";

Deno.test("controller flags: defaults", () => {
  const f = parseControllerFlags([]);
  assertEquals(f.rootContext, "root");
  assertEquals(f.allClustersContext, "system:admin");
  assertEquals(f.espwPath, "root:espw");
  assertEquals(f.workers, 4);
  assertEquals([f.metricsHost, f.metricsPort], ["127.0.0.1", 0]);
  assertEquals(f.verbosity, 2);
});

Deno.test("controller flags: both spellings, upstream alias, empty host is loopback", () => {
  const f = parseControllerFlags([
    "--kubeconfig=/k",
    "--root-context",
    "r",
    "--concurrency=7",
    "--server-bind-address",
    ":10203",
    "-v",
    "5",
    "--espw-path",
    "root:other",
  ]);
  assertEquals(f.kubeconfig, "/k");
  assertEquals(f.rootContext, "r");
  assertEquals(f.workers, 7);
  assertEquals([f.metricsHost, f.metricsPort], ["127.0.0.1", 10203]);
  assertEquals(f.verbosity, 5);
  assertEquals(f.espwPath, "root:other");
  assertEquals(parseControllerFlags(["-V"]).verbosity, 4);
  assertEquals(parseControllerFlags(["--metrics-bind-address", "127.0.0.1:9"]).metricsPort, 9);
});

Deno.test("controller flags: bad input is one clear usage error", async () => {
  await assertRejects(() => parseControllerFlags(["--concurrency", "0"]), /at least 1/);
  await assertRejects(() => parseControllerFlags(["--bogus"]), /unknown flag: --bogus/);
  await assertRejects(() => parseControllerFlags(["extra"]), /unexpected argument "extra"/);
  await assertRejects(() => parseControllerFlags(["--metrics-bind-address", "x:y"]), /HOST:PORT/);
  await assertRejects(() => parseControllerFlags(["--kubeconfig"]), /needs a value/);
});
