/**
 * Random, repeatable churn on the fleet workload: creates, updates and deletes of the
 * workload ConfigMaps through a {@link Ledger}, drawn from a seeded generator so that a
 * failing run can be replayed.
 *
 * @module
 */
import type { RestClient } from "../../lib/kube/rest_client.ts";
import { type Ledger, NAME_PREFIX, WORKLOAD_NAMESPACES } from "./fleet_workload.ts";

/** A small seeded generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Churn over `size` names per namespace. */
export class Churn {
  readonly #random: () => number;

  constructor(readonly ledger: Ledger, seed: number, readonly size = 40) {
    this.#random = seededRandom(seed);
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)];
  }

  /** One random write: four in five put a new version, one in five deletes. */
  async step(client: RestClient): Promise<void> {
    const namespace = this.#pick(Object.values(WORKLOAD_NAMESPACES));
    const name = `${NAME_PREFIX}${Math.floor(this.#random() * this.size)}`;
    if (this.#random() < 0.2) await this.ledger.remove(client, namespace, name);
    else await this.ledger.put(client, namespace, name);
  }

  /** `count` writes, `parallel` at a time; `client()` is asked anew for each write. */
  async run(client: () => Promise<RestClient>, count: number, parallel = 4): Promise<void> {
    let left = count;
    const worker = async () => {
      while (left-- > 0) {
        try {
          await this.step(await client());
        } catch { /* the hub is down: the ledger already counted the failure */ }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
}
