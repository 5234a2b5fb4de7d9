/**
 * `deno task bench [name…]`: runs the benchmarks and prints their figures.
 * Benchmarks print numbers; tests never assert on wall-clock time.
 *
 * @module
 */
import { machineLine } from "./machine.ts";
import { BENCHMARKS } from "./registry.ts";

const wanted = Deno.args;
console.log(`# machine: ${machineLine()}`);
for (const b of BENCHMARKS) {
  if (wanted.length > 0 && !wanted.includes(b.name)) continue;
  console.log(`## ${b.name}: ${b.description}`);
  await b.run();
  console.log();
}
