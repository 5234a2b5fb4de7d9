/**
 * Build information, stamped when a bundle or binary is built.
 *
 * The build scripts generate an entry module that sets `globalThis.__KUBESTELLAR_BUILD__`
 * before importing `main.ts`; nothing is read from git at run time. Unstamped
 * (development) runs report the Kubernetes client defaults, as the upstream tool did
 * when not built by make.
 *
 * @module
 */

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

/** The Kubernetes API version our toolkit speaks (reported as major/minor). */
const KUBE_MAJOR = "1";
const KUBE_MINOR = "24";

/** Defaults used when nothing was stamped (client-go's own defaults). */
export const UNSTAMPED: BuildStamp = {
  release: "",
  gitVersion: "v0.0.0-master+$Format:%H$",
  gitCommit: "$Format:%H$",
  gitTreeState: "",
  buildDate: "1970-01-01T00:00:00Z",
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
