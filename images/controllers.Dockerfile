# syntax=docker/dockerfile:1
# The KubeStellar controllers image, used by the core pod of the Helm chart (chart/): the
# compiled `kubestellar` binary with every command name from a release archive, kubectl
# (for the pod's calls to the hosting cluster) and the core pod's entry script.
#
# Build from the repository root after `deno task release --compile --release "$VERSION"`
# (the release workflow does both), or offline after `deno task release --release "$VERSION"`
# (bundle + each target's Deno runtime: the archive needs nothing installed either way):
#   docker buildx build -f images/controllers.Dockerfile --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION="$VERSION" -t ghcr.io/kubestellar/kubestellar-deno:"$VERSION" .

FROM debian:bookworm-slim AS kubectl
ARG TARGETARCH
ARG KUBECTL_VERSION=v1.32.3
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && base="https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}" \
 && curl -fsSLo /kubectl "$base/kubectl" \
 && echo "$(curl -fsSL "$base/kubectl.sha256")  /kubectl" | sha256sum -c - \
 && chmod 0755 /kubectl

FROM debian:bookworm-slim
ARG TARGETARCH
ARG VERSION
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 65532 --user-group --home-dir /home/kubestellar --create-home kubestellar \
 && chgrp 0 /home/kubestellar && chmod g=u /home/kubestellar
# (OpenShift runs the pod as an arbitrary user in group 0: it can still use the home.)
# ADD unpacks the archive: bin/ (every command name), core-helm-chart/, README.md, and in
# bundle builds libexec/ (the bundle and its Deno runtime).
ADD dist/release/kubestellar_${VERSION}_linux_${TARGETARCH}.tar.gz /opt/kubestellar/
COPY --from=kubectl /kubectl /usr/local/bin/kubectl
COPY --chmod=0755 images/core-entry.sh /opt/kubestellar/libexec/core-entry.sh
ENV PATH=/opt/kubestellar/bin:$PATH
USER 65532:65532
WORKDIR /home/kubestellar
ENTRYPOINT ["/opt/kubestellar/libexec/core-entry.sh"]
CMD ["sleep"]
