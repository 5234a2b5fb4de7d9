/**
 * Child process of the kcp-lite store's crash test: opens the SQLite store at `Deno.args[0]`
 * and writes without pause (creates, with every third object deleted again), printing one
 * line per acknowledged write — `<op> <name> <resourceVersion>` — only after the store
 * call returned. The test kills it with SIGKILL mid-stream and checks that every printed
 * write is in the reopened store.
 *
 * @module
 */
import { openSqliteStore } from "../../lib/kcplite/store/sqlite_store.ts";

const [path, limitArg] = Deno.args;
const limit = Number(limitArg ?? "100000");
const store = openSqliteStore(path);
const encoder = new TextEncoder();

function ack(line: string): void {
  const bytes = encoder.encode(line + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

ack("ready");
for (let i = 0; i < limit; i++) {
  const name = `obj-${i}`;
  const key = { cluster: "crash", resource: "/configmaps", namespace: "ns", name };
  const created = store.create(key, { metadata: { name, namespace: "ns" }, data: { i: `${i}` } });
  ack(`created ${name} ${created.metadata?.resourceVersion}`);
  if (i % 3 === 2) {
    const deleted = store.delete(key);
    ack(`deleted ${name} ${deleted.metadata?.resourceVersion}`);
  }
}
ack("done");
// Stay alive holding the store open, as a server would, until killed.
setInterval(() => {}, 60_000);
