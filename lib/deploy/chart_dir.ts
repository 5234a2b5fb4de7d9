/**
 * Writes the embedded Helm chart into a new temporary directory for helm to read, and
 * removes it again.
 *
 * @example
 * ```ts
 * const chart = await writeEmbeddedChart();
 * try { await runHelm([..., chart.path]); } finally { await chart.remove(); }
 * ```
 *
 * @module
 */
import { dirname, join } from "node:path";
import { CHART_FILES } from "./chart_files.ts";

/** A chart written to disk. */
export interface WrittenChart {
  /** The chart directory (holds Chart.yaml). */
  path: string;
  /** Removes the directory and everything in it. */
  remove(): Promise<void>;
}

/** Writes `files` (default: the embedded chart) under a fresh temporary directory. */
export async function writeEmbeddedChart(
  files: Readonly<Record<string, string>> = CHART_FILES,
): Promise<WrittenChart> {
  const root = await Deno.makeTempDir({ prefix: "kubestellar-chart-" });
  const remove = () => Deno.remove(root, { recursive: true }).catch(() => {});
  try {
    const path = join(root, "kubestellar-core");
    for (const [name, text] of Object.entries(files)) {
      const file = join(path, ...name.split("/"));
      await Deno.mkdir(dirname(file), { recursive: true });
      await Deno.writeTextFile(file, text);
    }
    return { path, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}
