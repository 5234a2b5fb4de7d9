/**
 * The list of benchmarks `deno task bench` runs, in order.
 *
 * @module
 */
import { cliPaths } from "./cli_paths.ts";
import { cliStartup } from "./cli_startup.ts";
import { controllersAll } from "./controllers_all.ts";
import { controllersMailbox } from "./controllers_mailbox.ts";
import { coreSetup } from "./core_setup.ts";
import { ensureCreds } from "./ensure_creds.ts";
import { fleet } from "./fleet.ts";
import { kcpliteStore } from "./kcplite_store.ts";
import { kcpliteScale } from "./kcplite_scale.ts";
import { kcpliteFleet } from "./kcplite_fleet.ts";
import { kcpliteServer } from "./kcplite_server.ts";
import { placementTranslator } from "./placement_translator.ts";
import { releaseArchive } from "./release_archive.ts";
import { soakBench } from "./soak.ts";
import { syncerBench } from "./syncer.ts";
import { summarizerBench } from "./summarizer.ts";
import { uiBench } from "./ui.ts";

/** One benchmark. */
export interface Benchmark {
  name: string;
  description: string;
  run: () => Promise<void>;
}

/** Every benchmark. */
export const BENCHMARKS: Benchmark[] = [
  cliStartup,
  cliPaths,
  coreSetup,
  ensureCreds,
  kcpliteStore,
  kcpliteServer,
  kcpliteScale,
  kcpliteFleet,
  controllersMailbox,
  controllersAll,
  placementTranslator,
  syncerBench,
  summarizerBench,
  uiBench,
  releaseArchive,
  fleet,
  soakBench,
];
