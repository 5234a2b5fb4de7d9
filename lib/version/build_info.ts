/**
 * Build information, stamped when a bundle or binary is built.
 *
 * The build scripts generate an entry module that sets `globalThis.__KUBESTELLAR_BUILD__`
 * before importing `main.ts`; nothing is read from git at run time. gitVersion has the
 * form of upstream's Makefile, `v1.24.3+kcp-<git describe>` (the document's
 * `v1.24.3+kcp-v0.2.1-20-g1747254b880cb7`). Unstamped (development) runs say so plainly:
 * `v1.24.3+kcp-<project version>-unstamped`, and `unstamped` for the commit, the tree
 * state and the build date.
 *
 * @module
 */
import { PROJECT_VERSION } from "./project_version.ts";

/** What a build is stamped with. */
export interface BuildStamp {
  /** Release version (`v0.15.0`); empty for development builds. */
  release: string;
  /** `v<k8s>+kcp-<describe>`-style version. */
  gitVersion: string;
  /** Short commit hash. */
  gitCommit: string;
  /** `clean` or `dirty`. */
  gitTreeState: string;
  /** UTC `YYYY-MM-DDTHH:MM:SSZ`. */
  buildDate: string;
}

/** The fields `kubestellar-version` prints, in its order. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** The Kubernetes version of kcp v0.11 (reported as major/minor and in gitVersion). */
const KUBE_MAJOR = "1";
const KUBE_MINOR = "24";
const KUBE_VERSION = `v${KUBE_MAJOR}.${KUBE_MINOR}.3`;

/** The word unstamped builds report instead of build facts. */
export const UNSTAMPED_WORD = "unstamped";

/** gitVersion for a `git describe` result: `v1.24.3+kcp-<describe>`, as upstream's Makefile. */
export function kcpGitVersion(describe: string): string {
  return `${KUBE_VERSION}+kcp-${describe}`;
}

/** What a development checkout (nothing stamped) reports. */
export const UNSTAMPED: BuildStamp = {
  release: "",
  gitVersion: kcpGitVersion(`${PROJECT_VERSION}-${UNSTAMPED_WORD}`),
  gitCommit: UNSTAMPED_WORD,
  gitTreeState: UNSTAMPED_WORD,
  buildDate: UNSTAMPED_WORD,
};

/** The stamp of this build. */
export function buildStamp(): BuildStamp {
  const stamped = (globalThis as { __KUBESTELLAR_BUILD__?: Partial<BuildStamp> })
    .__KUBESTELLAR_BUILD__;
  return { ...UNSTAMPED, ...(stamped ?? {}) };
}

/** Maps Deno's OS and architecture names to Go's `GOOS/GOARCH` spelling. */
export function goPlatform(os: string = Deno.build.os, arch: string = Deno.build.arch): string {
  const goArch = arch === "x86_64" ? "amd64" : arch === "aarch64" ? "arm64" : arch;
  return `${os}/${goArch}`;
}

/** Everything `kubestellar-version` prints. */
export function versionInfo(stamp: BuildStamp = buildStamp()): VersionInfo {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: stamp.gitVersion,
    gitCommit: stamp.gitCommit,
    gitTreeState: stamp.gitTreeState,
    buildDate: stamp.buildDate,
    goVersion: `deno${Deno.version.deno}`,
    compiler: "deno",
    platform: goPlatform(),
  };
}
