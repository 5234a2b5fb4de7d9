#!/usr/bin/env bash
# KubeStellar bootstrap: installs kcp (with its kubectl plugins) and KubeStellar, then runs
# them as bare processes on this machine or deploys them into a Kubernetes (or OpenShift)
# hosting cluster. Meant for:
#
#   bash <(curl -fsSL https://raw.githubusercontent.com/kubestellar/kubestellar/main/install.sh) [flags]
#
# Run with -h for the flags. Downloads go to --ensure-folder (default: the current
# directory): kcp into <folder>/kcp, KubeStellar into <folder>/kubestellar. Every archive is
# checked against its release's checksums before anything is unpacked into place, so a
# failed run leaves nothing half-installed; rerunning skips what is already there.
# Mirrors (and tests) can replace the download locations with KUBESTELLAR_DOWNLOAD_BASE and
# KCP_DOWNLOAD_BASE (each followed by /<version>/<file>) and KUBESTELLAR_LATEST_URL (a page
# that redirects to .../<latest version>). No sudo is used; nothing outside the folder changes
# but KubeStellar's state directory ($KUBESTELLAR_STATE_DIR, else
# $XDG_STATE_HOME/kubestellar, else ~/.local/state/kubestellar), where what this script
# installed and the kcp it started are recorded for remove-kubestellar.
set -euo pipefail

readonly PROG="install.sh"
readonly KCP_DEFAULT_VERSION="v0.11.0"
KUBESTELLAR_DOWNLOAD_BASE="${KUBESTELLAR_DOWNLOAD_BASE:-https://github.com/kubestellar/kubestellar/releases/download}"
KCP_DOWNLOAD_BASE="${KCP_DOWNLOAD_BASE:-https://github.com/kcp-dev/kcp/releases/download}"
KUBESTELLAR_LATEST_URL="${KUBESTELLAR_LATEST_URL:-https://github.com/kubestellar/kubestellar/releases/latest}"
# How long to wait for a kcp server started here to become ready (seconds).
KCP_READY_TIMEOUT="${KCP_READY_TIMEOUT:-180}"

kubestellar_version=""
kcp_version="$KCP_DEFAULT_VERSION"
deploy="true"
openshift="false"
endpoint=""
os=""
arch=""
bind_address=""
folder="$PWD"
ensure_imw="imw1"
ensure_wmw="wmw1"
host_ns="kubestellar"
verbose="false"
env_lines=()
work=""

usage() {
  echo "Usage: $PROG [--kubestellar-version <version>|latest] [--kcp-version <version>]"
  echo "         [--openshift true|false] [--endpoint-address <domain_name>:<port>]"
  echo "         [--os linux|darwin] [--arch amd64|arm64] [--bind-address <ip>]"
  echo "         [--ensure-folder <install_parent_dir>] [--host-ns <namespace>]"
  echo "         [--ensure-imw <list>] [--ensure-wmw <list>] [--deploy true|false] [-V|--verbose] [-X] [-h]"
  echo "Deploys into the hosting cluster of the current kubeconfig if --endpoint-address"
  echo "(alias --external-endpoint) or --openshift true is given, else as bare processes."
}

fail() {
  echo "$PROG: $*" >&2
  exit "${FAIL_CODE:-1}"
}

section() {
  local line="< $* >"
  while [ "${#line}" -lt 50 ]; do line="$line-"; done
  echo "$line"
}

cleanup() {
  if [ -n "$work" ] && [ -d "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

need_value() { # flag, thing, remaining-arg-count
  if [ "$3" -lt 2 ]; then fail "missing $2 (after $1)"; fi
}

check_bool() { # flag, value
  case "$2" in
    true | false) ;;
    *) fail "$1 value must be 'true' or 'false', not '$2'" ;;
  esac
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    -X) set -x ;;
    -V | --verbose) verbose="true" ;;
    --kubestellar-version)
      need_value "$1" "release version" "$#"
      kubestellar_version="$2"
      shift
      ;;
    --kcp-version)
      need_value "$1" "kcp release version" "$#"
      kcp_version="$2"
      shift
      ;;
    --deploy)
      need_value "$1" "true or false" "$#"
      check_bool "$1" "$2"
      deploy="$2"
      shift
      ;;
    --openshift)
      need_value "$1" "true or false" "$#"
      check_bool "$1" "$2"
      openshift="$2"
      shift
      ;;
    --endpoint-address | --external-endpoint)
      need_value "$1" "domain_name:port" "$#"
      endpoint="$2"
      shift
      ;;
    --os)
      need_value "$1" "operating system" "$#"
      os="$2"
      shift
      ;;
    --arch)
      need_value "$1" "architecture" "$#"
      arch="$2"
      shift
      ;;
    --bind-address)
      need_value "$1" "IP address" "$#"
      bind_address="$2"
      shift
      ;;
    --ensure-folder)
      need_value "$1" "install folder" "$#"
      folder="$2"
      shift
      ;;
    --ensure-imw)
      need_value "$1" "IMW list" "$#"
      ensure_imw="$2"
      shift
      ;;
    --ensure-wmw)
      need_value "$1" "WMW list" "$#"
      ensure_wmw="$2"
      shift
      ;;
    --host-ns)
      need_value "$1" "namespace" "$#"
      host_ns="$2"
      shift
      ;;
    -*) fail "unknown flag '$1': run with -h for usage" ;;
    *) fail "unknown positional argument '$1': run with -h for usage" ;;
  esac
  shift
done

# ---- checks that need no network and change nothing ----

if [ -n "$endpoint" ]; then
  if ! [[ "$endpoint" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]+$ ]]; then
    fail "--endpoint-address must have the form domain_name:port, not '$endpoint'"
  fi
fi
if ! [[ "$host_ns" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]]; then
  fail "--host-ns value must be one namespace name (lower case letters, digits, '-'), not '$host_ns'"
fi
for v in "$kcp_version" "$kubestellar_version"; do
  if [ -n "$v" ] && [ "$v" != "latest" ] && ! [[ "$v" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    fail "version '$v' is not of the form vX.Y.Z (include the leading v)"
  fi
done
if [ "$kcp_version" = "latest" ]; then fail "--kcp-version needs an exact version such as $KCP_DEFAULT_VERSION"; fi

if [ -z "$os" ]; then
  uname_s=$(uname -s)
  case "$uname_s" in
    Linux*) os="linux" ;;
    Darwin*) os="darwin" ;;
    *) fail "Unsupported operating system type: $uname_s (supported: linux, darwin; or pass --os)" ;;
  esac
fi
case "$os" in
  linux | darwin) ;;
  *) fail "Unsupported operating system type: '$os' (choose linux or darwin)" ;;
esac
if [ -z "$arch" ]; then
  uname_m=$(uname -m)
  case "$uname_m" in
    x86_64* | amd64*) arch="amd64" ;;
    aarch64* | arm64*) arch="arm64" ;;
    *) fail "Unsupported architecture type: $uname_m (supported: amd64, arm64; or pass --arch)" ;;
  esac
fi
case "$arch" in
  amd64 | arm64) ;;
  *) fail "Unsupported architecture type: '$arch' (choose amd64 or arm64)" ;;
esac

mode="bare"
if [ -n "$endpoint" ] || [ "$openshift" = "true" ]; then mode="kube"; fi

for tool in curl tar; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed: install it and run again"
done
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  fail "sha256sum or shasum is needed to verify downloads: install coreutils (or perl's shasum)"
fi
if [ "$mode" = "kube" ] && [ "$deploy" = "true" ]; then
  command -v "${KUBESTELLAR_HELM:-helm}" >/dev/null 2>&1 ||
    fail "helm is needed to deploy into a Kubernetes cluster: install Helm 3 (https://helm.sh/docs/intro/install/)"
fi

curl_flags=(-fSL --retry 2 --connect-timeout 20)
if [ "$verbose" = "true" ]; then curl_flags+=(-v); else curl_flags+=(-s); fi

section "KubeStellar bootstrap started"

mkdir -p "$folder"
folder=$(cd "$folder" && pwd -P)
case "$folder" in
  *$'\n'* | *$'\t'*) fail "the install folder's path must not contain a tab or a newline: '$folder'" ;;
esac
work=$(mktemp -d "$folder/.kubestellar-install.XXXXXX")

# ---- helpers ----

state_dir="${KUBESTELLAR_STATE_DIR:-${XDG_STATE_HOME:-${HOME:-}/.local/state}/kubestellar}"
if [ -z "${KUBESTELLAR_STATE_DIR:-}${XDG_STATE_HOME:-}${HOME:-}" ]; then state_dir=""; fi

# Records a path this script created, for remove-kubestellar (installed.txt: kind<TAB>path).
record_installed() { # path
  [ -n "$state_dir" ] || return 0
  local line
  line=$(printf 'path\t%s' "$1")
  mkdir -p "$state_dir"
  if ! grep -Fxq -- "$line" "$state_dir/installed.txt" 2>/dev/null; then
    (umask 077 && printf '%s\n' "$line" >>"$state_dir/installed.txt")
  fi
}

# Records a process this script started (pid and start time, as kubestellar's own records),
# so that remove-kubestellar stops exactly that process.
record_process() { # name, pid
  [ -n "$state_dir" ] || return 0
  local started=""
  if [ -r "/proc/$2/stat" ]; then
    local stat
    stat=$(cat "/proc/$2/stat")
    # shellcheck disable=SC2086 # the fields after the command name are space-separated
    set -- "$1" "$2" ${stat##*) }
    started="${22:-}"
  else
    started=$(ps -p "$2" -o lstart= 2>/dev/null | sed 's/^ *//; s/ *$//') || true
  fi
  [ -n "$started" ] || return 0
  mkdir -p "$state_dir"
  (umask 077 && printf '{"pid":%d,"startTime":"%s","name":"%s","command":["kcp","start"],"logFile":"%s"}\n' \
    "$2" "$started" "$1" "$folder/kcp_log.txt" >"$state_dir/$1.pid.json")
}

on_path() { # dir
  case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac
}

add_to_path() { # bin dir, what
  if ! on_path "$1"; then
    export PATH="$1:$PATH"
    echo "Add $2 folder to the PATH: export PATH=\"$1:\$PATH\""
    env_lines+=("export PATH=\"$1:\$PATH\"")
  fi
}

download() { # url, file
  if ! curl "${curl_flags[@]}" -o "$2" "$1"; then
    fail "cannot download $1: check the version, the network, or the *_DOWNLOAD_BASE setting"
  fi
}

verify() { # checksums file, archive path
  local name want got
  name=$(basename "$2")
  want=$(awk -v f="$name" '$2 == f || $2 == "*" f { print $1; exit }' "$1")
  if [ -z "$want" ]; then fail "$name is not listed in the release's checksums file: refusing to install it"; fi
  got=$(sha256 "$2")
  if [ "$want" != "$got" ]; then
    fail "checksum mismatch for $name (expected $want, got $got): the download is corrupt or tampered with; nothing was installed"
  fi
}

# PIDs of processes named exactly "kcp" (not every command line that mentions kcp).
running_kcp_pids() {
  if command -v pgrep >/dev/null 2>&1; then
    pgrep -x kcp | tr '\n' ' ' || true
  elif [ -d /proc/self ]; then
    local f pids=""
    for f in /proc/[0-9]*/comm; do
      if [ "$(cat "$f" 2>/dev/null)" = "kcp" ]; then
        f="${f#/proc/}"
        pids="$pids${f%/comm} "
      fi
    done
    echo "$pids"
  fi
}

# Replaces <folder>/<name> by the staged directory in one rename.
put_in_place() { # staged dir, name
  if [ -e "$folder/$2" ]; then mv "$folder/$2" "$work/$2.previous"; fi
  mv "$1" "$folder/$2"
}

# ---- kcp ----

section "Ensure kcp is installed"
kcp_plugin_present="false"
if command -v kcp >/dev/null 2>&1 && command -v kubectl-ws >/dev/null 2>&1; then
  echo "kcp found in the PATH at '$(command -v kcp)' ... skip installation."
  kcp_plugin_present="true"
elif [ -x "$folder/kcp/bin/kcp" ] && [ -x "$folder/kcp/bin/kubectl-ws" ]; then
  echo "kcp found at '$folder/kcp/bin/kcp' ... skip download."
  add_to_path "$folder/kcp/bin" "kcp"
  kcp_plugin_present="true"
else
  echo "kcp not found in the PATH."
  pids=""
  if [ "$mode" = "bare" ] && [ "$deploy" = "true" ]; then pids=$(running_kcp_pids); fi
  if [ -n "$pids" ]; then
    FAIL_CODE=2 fail "kcp process is running already: pid=${pids% } ... add its folder to the PATH or stop kcp ... exiting."
  fi
  kv="${kcp_version#v}"
  base="$KCP_DOWNLOAD_BASE/$kcp_version"
  stage="$work/kcp"
  mkdir -p "$stage"
  download "$base/checksums.txt" "$work/kcp-checksums.txt"
  for file in "kcp_${kv}_${os}_${arch}.tar.gz" "kubectl-kcp-plugin_${kv}_${os}_${arch}.tar.gz"; do
    echo "Downloading $base/$file"
    download "$base/$file" "$work/$file"
    verify "$work/kcp-checksums.txt" "$work/$file"
    tar -xzf "$work/$file" -C "$stage"
  done
  [ -x "$stage/bin/kcp" ] || fail "the kcp archive has no bin/kcp: check --kcp-version"
  put_in_place "$stage" "kcp"
  record_installed "$folder/kcp"
  echo "kcp $kcp_version installed in '$folder/kcp'."
  add_to_path "$folder/kcp/bin" "kcp"
  kcp_plugin_present="true"
fi

wait_for_kcp() { # pid or ""
  local waited=0
  echo "Waiting for kcp to be ready... it may take a while"
  until [ -f "$KUBECONFIG" ] && kubectl-ws root:compute >/dev/null 2>&1; do
    if [ -n "$1" ] && ! kill -0 "$1" 2>/dev/null; then
      tail -n 20 "$folder/kcp_log.txt" >&2 || true
      fail "kcp exited while starting: see $folder/kcp_log.txt"
    fi
    if [ "$waited" -ge "$KCP_READY_TIMEOUT" ]; then
      fail "kcp did not become ready within ${KCP_READY_TIMEOUT}s: see $folder/kcp_log.txt (KCP_READY_TIMEOUT raises the limit)"
    fi
    if [ "$waited" -gt 0 ] && [ $((waited % 10)) -eq 0 ]; then echo "... still waiting for kcp (${waited}s)"; fi
    sleep 1
    waited=$((waited + 1))
  done
  local found
  found=$(kcp --version 2>/dev/null | sed -n 's/.*kcp-\(v[0-9][0-9A-Za-z.+-]*\).*/\1/p' | head -n 1)
  if [ -n "$found" ] && [ "$found" != "$kcp_version" ]; then
    echo "FYI: pass --kcp-version $found to use the kcp that is there, or stop it first." >&2
    FAIL_CODE=4 fail "kcp version '$found' does not match the requested version $kcp_version ... exiting!"
  fi
  echo "kcp version ${found:-unknown} ... ok"
}

if [ "$mode" = "bare" ] && [ "$deploy" = "true" ]; then
  section "Ensure kcp is running"
  pids=$(running_kcp_pids)
  if [ -n "$pids" ]; then
    echo "kcp process is running already: pid=${pids% } ... skip running."
    if [ -z "${KUBECONFIG:-}" ] || [ ! -f "$KUBECONFIG" ]; then
      FAIL_CODE=3 fail "KUBECONFIG environment variable is not set correctly: KUBECONFIG='${KUBECONFIG:-}' ... set it to the running kcp's admin.kubeconfig ... exiting!"
    fi
    echo "Using 'KUBECONFIG=$KUBECONFIG'"
    wait_for_kcp ""
  else
    kcp_args=(start)
    if [ -n "$bind_address" ]; then
      kcp_args+=(--bind-address "$bind_address")
      echo "Running kcp bound to address $bind_address... logfile=$folder/kcp_log.txt"
    else
      echo "Running kcp... logfile=$folder/kcp_log.txt"
    fi
    (cd "$folder" && exec nohup kcp "${kcp_args[@]}" >"$folder/kcp_log.txt" 2>&1 </dev/null) &
    kcp_pid=$!
    export KUBECONFIG="$folder/.kcp/admin.kubeconfig"
    wait_for_kcp "$kcp_pid"
    record_process kcp "$kcp_pid"
    record_installed "$folder/.kcp"
    record_installed "$folder/kcp_log.txt"
    echo "Export KUBECONFIG environment variable: export KUBECONFIG=\"$KUBECONFIG\""
    env_lines+=("export KUBECONFIG=\"$KUBECONFIG\"")
  fi
fi

# ---- KubeStellar ----

section "Ensure KubeStellar is installed"
if [ -z "$kubestellar_version" ] || [ "$kubestellar_version" = "latest" ]; then
  effective=$(curl "${curl_flags[@]}" -o /dev/null -w '%{url_effective}' "$KUBESTELLAR_LATEST_URL") ||
    fail "cannot find the latest KubeStellar release at $KUBESTELLAR_LATEST_URL: pass --kubestellar-version"
  kubestellar_version="${effective##*/}"
  if ! [[ "$kubestellar_version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
    fail "cannot tell the latest KubeStellar release from $effective: pass --kubestellar-version"
  fi
  echo "Latest KubeStellar release: $kubestellar_version"
fi
installed_version=""
if [ -x "$folder/kubestellar/bin/kubestellar-release" ]; then
  installed_version=$("$folder/kubestellar/bin/kubestellar-release" 2>/dev/null || true)
fi
if command -v kubestellar >/dev/null 2>&1 && command -v kubectl-kubestellar >/dev/null 2>&1 &&
  [ "$(dirname "$(command -v kubestellar)")" != "$folder/kubestellar/bin" ]; then
  echo "KubeStellar found in the PATH at '$(command -v kubestellar)' ... skip installation."
elif [ "$installed_version" = "$kubestellar_version" ]; then
  echo "KubeStellar $kubestellar_version found at '$folder/kubestellar' ... skip download."
  add_to_path "$folder/kubestellar/bin" "KubeStellar"
else
  echo "KubeStellar not found in the PATH."
  file="kubestellar_${kubestellar_version}_${os}_${arch}.tar.gz"
  base="$KUBESTELLAR_DOWNLOAD_BASE/$kubestellar_version"
  stage="$work/kubestellar"
  mkdir -p "$stage"
  download "$base/checksums.txt" "$work/kubestellar-checksums.txt"
  echo "Downloading $base/$file"
  download "$base/$file" "$work/$file"
  verify "$work/kubestellar-checksums.txt" "$work/$file"
  tar -xzf "$work/$file" -C "$stage"
  [ -x "$stage/bin/kubestellar" ] || fail "the KubeStellar archive has no bin/kubestellar"
  if [ "$kcp_plugin_present" = "true" ]; then
    # kcp's own kubectl plugins are there: keep our stand-ins for them out of their way.
    mkdir -p "$stage/libexec"
    for standin in kubectl-ws kubectl-kcp kubectl_complete-ws kubectl_complete-kcp; do
      if [ -e "$stage/bin/$standin" ]; then mv "$stage/bin/$standin" "$stage/libexec/$standin"; fi
    done
  fi
  put_in_place "$stage" "kubestellar"
  record_installed "$folder/kubestellar"
  echo "KubeStellar $kubestellar_version installed in '$folder/kubestellar'."
  add_to_path "$folder/kubestellar/bin" "KubeStellar"
fi

# ---- deploy ----

if [ "$deploy" = "true" ] && [ "$mode" = "bare" ]; then
  section "Ensure KubeStellar is running"
  echo "Starting or restarting KubeStellar..."
  start_flags=(--ensure-imw "$ensure_imw" --ensure-wmw "$ensure_wmw")
  if [ "$verbose" = "true" ]; then start_flags+=(-V); fi
  kubestellar start "${start_flags[@]}"
  kubectl-ws root >/dev/null
elif [ "$deploy" = "true" ]; then
  section "Deploy kcp and KubeStellar into Kubernetes, namespace=$host_ns"
  deploy_flags=(-n "$host_ns" --create-namespace)
  if [ -n "$endpoint" ]; then deploy_flags+=(--external-endpoint "$endpoint"); fi
  if [ "$openshift" = "true" ]; then deploy_flags+=(--openshift true); fi
  kubectl-kubestellar deploy "${deploy_flags[@]}"
  section "Waiting for startup and fetching $folder/kubestellar.kubeconfig"
  kubectl-kubestellar get-external-kubeconfig -n "$host_ns" -o "$folder/kubestellar.kubeconfig"
  export KUBECONFIG="$folder/kubestellar.kubeconfig"
  echo "Export KUBECONFIG environment variable: export KUBECONFIG=\"$KUBECONFIG\""
  env_lines+=("export KUBECONFIG=\"$KUBECONFIG\"")
fi

section "KubeStellar bootstrap completed successfully"
if [ "${#env_lines[@]}" -gt 0 ]; then
  echo "Please create/update the following environment variables: "
  printf '%s\n' "${env_lines[@]}"
fi
