/**
 * A real-kubectl session against a test control plane for the kcp-lite tests: `run` (the
 * outcome, whatever it is), `ok` (asserts exit 0 and returns stdout) and `until` (polls a
 * command until its trimmed stdout is what is wanted). Each session has its own HOME and
 * discovery cache (see `kubectl` in `server/server_test_client.ts`). `createEstablishedCrd`
 * creates a CRD and waits until it is served.
 *
 * @module
 */
import { assertEquals } from "../../support/assert.ts";
import type { ControlPlane } from "../../support/control_plane.ts";
import { kubectl, type RunResult } from "./server/server_test_client.ts";

/** kubectl bound to one control plane and one HOME. */
export interface KubectlSession {
  /** Runs kubectl; `stdin` is piped in when given. */
  run(args: string[], stdin?: string): Promise<RunResult>;
  /** Runs kubectl, asserts it succeeded and returns its stdout. */
  ok(args: string[], stdin?: string): Promise<string>;
  /** Reruns kubectl (every 50 ms, 200 times at most) until it succeeds printing `want`. */
  until(args: string[], want: string): Promise<void>;
}

/** How many times `until` runs a command before it gives up. */
const UNTIL_ATTEMPTS = 200;

/** Arguments for a failure message, with long ones (bearer tokens) left out. */
function shownArgs(args: string[]): string {
  return args.map((a) => (a.length > 100 ? "<token>" : a)).join(" ");
}

/** A kubectl session on `cp` with `home` as HOME (its discovery cache lives there too). */
export function kubectlSession(cp: ControlPlane, home: string): KubectlSession {
  const run = (args: string[], stdin?: string) => kubectl(cp, home, args, stdin);
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await run(args, stdin);
    assertEquals(r.code, 0, `kubectl ${shownArgs(args)} failed: ${r.stderr}`);
    return r.stdout;
  };
  const until = async (args: string[], want: string): Promise<void> => {
    for (let i = 0; i < UNTIL_ATTEMPTS; i++) {
      const r = await run(args);
      if (r.code === 0 && r.stdout.trim() === want) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`kubectl ${shownArgs(args)} never printed ${want}`);
  };
  return { run, ok, until };
}

/** Creates a CRD from `yaml` and waits until CRD `name` is Established. */
export async function createEstablishedCrd(
  k: KubectlSession,
  yaml: string,
  name: string,
): Promise<void> {
  await k.ok(["create", "-f", "-"], yaml);
  await k.until(
    ["get", "crd", name, "-o", 'jsonpath={.status.conditions[?(@.type=="Established")].status}'],
    "True",
  );
}
