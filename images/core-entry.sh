#!/usr/bin/env bash
# Entry point of the KubeStellar controllers image inside the core pod of the Helm chart
# (chart/templates/deployment.yaml). The argument selects the container's role:
#   pki                   (init container) serving certificates for the external host name
#                         and for the Service "kubestellar", kept on the volume at /data
#   init                  wait for kcp, write the admin, internal (cluster) and external
#                         kubeconfigs, run `kubestellar init`, publish them in Secret
#                         "kubestellar", then mark the pod ready
#   mailbox-controller | where-resolver | placement-translator | status-summarizer
#                         wait for init, then run that controller (`kubestellar controller`)
#   sleep                 do nothing (debugging)
# Hosting-cluster calls use the pod's service account (kubectl's in-cluster config);
# kcp calls use /data/kcp/admin.kubeconfig (or a private copy of it).
set -euo pipefail

# The state volume and the per-pod run directory (overridable for tests).
readonly DATA="${KUBESTELLAR_DATA_DIR:-/data}"
readonly RUN="${KUBESTELLAR_RUN_DIR:-/run/kubestellar}"
readonly ADMIN="$DATA/kcp/admin.kubeconfig"
readonly SERVING="$DATA/serving"
role="${1:-sleep}"

log() { printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$role" "$*"; }

# The external host name: the value given to the chart, else the Route's (OpenShift) or
# the Ingress's host. Waits up to 5 minutes for the OpenShift router to assign one.
external_host() {
  if [ -n "${EXTERNAL_HOSTNAME:-}" ]; then
    echo "$EXTERNAL_HOSTNAME"
    return
  fi
  local host="" tries=0
  while [ -z "$host" ] && [ "$tries" -lt 60 ]; do
    host=$(kubectl get route kubestellar-route -o 'jsonpath={.spec.host}' 2>/dev/null ||
      kubectl get ingress kubestellar-ingress -o 'jsonpath={.spec.rules[0].host}' 2>/dev/null ||
      true)
    if [ -z "$host" ]; then
      tries=$((tries + 1))
      sleep 5
    fi
  done
  if [ -z "$host" ]; then
    log "no external host name: set EXTERNAL_HOSTNAME (deploy --external-endpoint)" >&2
    exit 1
  fi
  echo "$host"
}

# Copies the certificate and key named by ensure-kcp-server-creds to $SERVING/NAME.{crt,key}.
serving_pair() {
  local name="$1" domain="$2" line
  line=$(cd "$DATA" && kubestellar-ensure-kcp-server-creds "$domain")
  eval "local pieces=($line)"
  # shellcheck disable=SC2154 # pieces is set by the eval above
  install -m 0644 "${pieces[1]}" "$SERVING/$name.crt"
  install -m 0600 "${pieces[2]}" "$SERVING/$name.key"
  install -m 0644 "${pieces[0]}" "$SERVING/ca.crt"
}

wait_ready() {
  local n=0
  until [ -e "$RUN/ready" ]; do
    if [ $((n % 12)) -eq 0 ]; then log "waiting for the init container to finish"; fi
    n=$((n + 1))
    sleep 5
  done
}

case "$role" in
  pki)
    host=$(external_host)
    log "external host name: $host"
    mkdir -p "$SERVING" "$DATA/kcp"
    serving_pair external "$host"
    serving_pair service kubestellar
    # kcp regenerates its own default serving certificate for the current pod address.
    rm -f "$DATA"/kcp/apiserver.*
    log "serving certificates ready in $SERVING"
    ;;
  init)
    rm -f "$RUN/ready"
    host=$(external_host)
    export KUBESTELLAR_WAIT_TIMEOUT="${KUBESTELLAR_WAIT_TIMEOUT:-30m}"
    log "ESPW_NAME=${ESPW_NAME:-espw} ENSURE_IMW=${ENSURE_IMW:-} ENSURE_WMW=${ENSURE_WMW:-}"
    wait-and-switch-domain "$ADMIN" "$DATA/external.kubeconfig" root "$host" \
      "${EXTERNAL_PORT:-443}" "$SERVING/ca.crt"
    switch-domain "$ADMIN" "$DATA/cluster.kubeconfig" root kubestellar 6443 "$SERVING/ca.crt"
    cp "$ADMIN" "$RUN/init.kubeconfig"
    KUBECONFIG="$RUN/init.kubeconfig" kubestellar init --local-kcp false \
      --ensure-imw "${ENSURE_IMW:-}" --ensure-wmw "${ENSURE_WMW:-}"
    kubectl create secret generic kubestellar \
      --from-file=admin.kubeconfig="$ADMIN" \
      --from-file=cluster.kubeconfig="$DATA/cluster.kubeconfig" \
      --from-file=external.kubeconfig="$DATA/external.kubeconfig" \
      --dry-run=client -o yaml | kubectl apply -f -
    touch "$RUN/ready"
    log "***READY***"
    # Stay up (the pod's readiness probe looks at the ready file); end promptly on SIGTERM.
    sleeper=""
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM INT
    while true; do
      sleep 600 &
      sleeper=$!
      wait "$sleeper" || true
      log "***READY***"
    done
    ;;
  mailbox-controller | where-resolver | placement-translator | status-summarizer)
    wait_ready
    # Each controller gets a private copy of kcp's admin kubeconfig, with kcp's own contexts
    # (root, system:admin) unchanged, as `kubestellar start` gives them; the controllers
    # find the ESPW themselves.
    own="$RUN/$role.kubeconfig"
    cp "$ADMIN" "$own"
    log "starting $role"
    KUBECONFIG="$own" exec kubestellar controller "$role" -v "${VERBOSITY:-2}"
    ;;
  sleep)
    exec sleep infinity
    ;;
  *)
    echo "ERROR: unknown action '$role'!" >&2
    exit 1
    ;;
esac
