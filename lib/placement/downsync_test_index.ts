/**
 * An index of the `downsync` tests of many EdgePlacements by the criteria that do not
 * depend on labels — API group, resource, namespace, object name — so that the
 * placements an object event can concern are found by a few map look-ups instead of
 * by evaluating every placement. The answer is a superset: the caller still runs the
 * full test (label and namespace selectors, upsync precedence) on each candidate.
 * Entries hold placement keys only.
 *
 * A test is filed under `(group | *, resource | *, namespace | *)`: `*` where the
 * test does not constrain that criterion (absent or empty list, or a list holding
 * `"*"`). An object is looked up under its own values and `*` for each criterion
 * (8 look-ups), and a test naming objects is then checked against the object's name.
 *
 * @example
 * ```ts
 * const index = new DownsyncTestIndex();
 * index.put("wmw|ep1", [{ apiGroup: "", resources: ["configmaps"], namespaces: ["ns1"] }]);
 * index.candidates("", "configmaps", "ns1", "cm1"); // Set { "wmw|ep1" }
 * index.candidates("", "configmaps", "ns2", "cm1"); // Set {}
 * ```
 *
 * @module
 */
import { naturedOf } from "../denature/denatured_kinds.ts";
import type { DownsyncTest } from "./what_match.ts";

const ANY = "*";

interface Entry {
  placement: string;
  /** Object names the test is limited to; undefined: any name. */
  names?: Set<string>;
}

function values(list: string[] | undefined): string[] {
  return !list || list.length === 0 || list.includes(ANY) ? [ANY] : [...new Set(list)];
}

function slot(group: string, resource: string, namespace: string): string {
  return `${group}\u0000${resource}\u0000${namespace}`;
}

/** Placements by the label-independent criteria of their downsync tests. */
export class DownsyncTestIndex {
  readonly #bySlot = new Map<string, Entry[]>();
  readonly #slotsOf = new Map<string, string[]>();

  /** Files (or re-files) the tests of `placement`. */
  put(placement: string, tests: DownsyncTest[]): void {
    this.remove(placement);
    const slots = new Set<string>();
    for (const t of tests) {
      const group = t.apiGroup === undefined || t.apiGroup === null ? ANY : t.apiGroup;
      const names = values(t.objectNames);
      const entryNames = names[0] === ANY ? undefined : new Set(names);
      for (const resource of values(t.resources)) {
        for (const namespace of values(t.namespaces)) {
          const s = slot(group, resource, namespace);
          let entries = this.#bySlot.get(s);
          if (!entries) this.#bySlot.set(s, entries = []);
          const have = entries.find((e) => e.placement === placement);
          if (!have) entries.push({ placement, names: entryNames });
          else if (have.names && entryNames) { for (const n of entryNames) have.names.add(n); }
          else have.names = undefined;
          slots.add(s);
        }
      }
    }
    this.#slotsOf.set(placement, [...slots]);
  }

  /** Forgets `placement`. */
  remove(placement: string): void {
    for (const s of this.#slotsOf.get(placement) ?? []) {
      const entries = this.#bySlot.get(s)?.filter((e) => e.placement !== placement) ?? [];
      if (entries.length > 0) this.#bySlot.set(s, entries);
      else this.#bySlot.delete(s);
    }
    this.#slotsOf.delete(placement);
  }

  /**
   * The placements with a test that may select this object (labels not considered). A
   * denatured object is also looked up under its natured group, which tests name
   * (docs/denaturing.md).
   */
  candidates(group: string, resource: string, namespace: string, name: string): Set<string> {
    const out = new Set<string>();
    const natured = naturedOf(group, resource)?.group;
    const groups = group === ANY ? [ANY] : natured ? [group, natured, ANY] : [group, ANY];
    for (const g of groups) {
      for (const r of resource === ANY ? [ANY] : [resource, ANY]) {
        for (const n of namespace === "" || namespace === ANY ? [ANY] : [namespace, ANY]) {
          for (const e of this.#bySlot.get(slot(g, r, n)) ?? []) {
            if (!e.names || e.names.has(name)) out.add(e.placement);
          }
        }
      }
    }
    return out;
  }

  /** Number of placements filed. */
  get size(): number {
    return this.#slotsOf.size;
  }
}
