/**
 * A process that was started by hand (a controller run as `mailbox-controller -v=2 &`)
 * recording itself in the state directory, so that `kubestellar stop` stops it as it
 * stops what `kubestellar start` launched: by its recorded pid and start time, never by
 * name.
 *
 * The record is the one `startBackground` writes, under the service's name. When that
 * name already records another live process, this one records itself as `name@<pid>`
 * (`recordNames` finds both). A launcher that recorded this very process already (the same
 * pid and start time) keeps its record as it is. On a clean exit the process removes its
 * own record again, and only its own.
 *
 * @example
 * ```ts
 * const recorded = await recordSelf(["mailbox-controller"], stateDir, "(stderr)");
 * try { await serve(); } finally { await recorded.forget(); }
 * ```
 *
 * @module
 */
import { type ProcessRecord, readRecord, removeRecord, writeRecord } from "./background_process.ts";
import { identify, isSameProcessAlive } from "./process_identity.ts";

/** What `recordSelf` wrote; `forget()` removes it when the process ends. */
export interface SelfRecord {
  /** The record names written (`name` or `name@<pid>`), one per service name. */
  names: string[];
  /** Removes each record that still describes this process. */
  forget(): Promise<void>;
}

function sameProcess(a: ProcessRecord | undefined, b: ProcessRecord): boolean {
  return a !== undefined && a.pid === b.pid && a.startTime === b.startTime;
}

/**
 * Records the running process under each of `names` in `stateDir`. `logFile` says where
 * its output goes (shown by nothing but kept for the reader of the state directory).
 */
export async function recordSelf(
  names: string[],
  stateDir: string,
  logFile: string,
): Promise<SelfRecord> {
  const id = await identify(Deno.pid);
  if (!id) return { names: [], forget: () => Promise.resolve() };
  await Deno.mkdir(stateDir, { recursive: true });
  const written: string[] = [];
  const kept: string[] = [];
  for (const name of names) {
    const mine: ProcessRecord = {
      ...id,
      name,
      command: [Deno.execPath(), ...Deno.args],
      logFile,
    };
    const existing = await readRecord(name, stateDir);
    if (sameProcess(existing, mine)) {
      kept.push(name); // the launcher recorded us; it also removes the record
      continue;
    }
    const recordName = existing && await isSameProcessAlive(existing)
      ? `${name}@${Deno.pid}`
      : name;
    await writeRecord({ ...mine, name: recordName }, stateDir);
    written.push(recordName);
  }
  return {
    names: [...kept, ...written],
    forget: async () => {
      for (const name of written) {
        const rec = await readRecord(name, stateDir);
        if (rec && rec.pid === id.pid && rec.startTime === id.startTime) {
          await removeRecord(name, stateDir);
        }
      }
    },
  };
}
