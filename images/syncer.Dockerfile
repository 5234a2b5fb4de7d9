# syntax=docker/dockerfile:1
# The KubeStellar syncer image (what the WEC manifest of `prep-for-syncer` runs): the
# compiled `kubestellar` binary from a release archive, started as `kubestellar syncer`.
#
# Build from the repository root after `deno task release --compile --release "$VERSION"`:
#   docker buildx build -f images/syncer.Dockerfile --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION="$VERSION" -t ghcr.io/kubestellar/kubestellar-deno-syncer:"$VERSION" .

FROM debian:bookworm-slim
ARG TARGETARCH
ARG VERSION
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 65532 --user-group --no-create-home kubestellar
ADD dist/release/kubestellar_${VERSION}_linux_${TARGETARCH}.tar.gz /opt/kubestellar/
ENV PATH=/opt/kubestellar/bin:$PATH
USER 65532:65532
ENTRYPOINT ["/opt/kubestellar/bin/kubestellar", "syncer"]
