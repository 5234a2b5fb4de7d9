# syntax=docker/dockerfile:1
# The KubeStellar syncer image (what the WEC manifest of `prep-for-syncer` runs): a release
# archive's `kubestellar`, started as `kubestellar syncer`.
#
# Build from the repository root after either release build (the archive runs with nothing
# installed either way, so the image needs only glibc and CA certificates):
#   deno task release --release "$VERSION" --target linux/amd64 --target linux/arm64
#       (offline: bundle + each target's Deno runtime from npm, in libexec/)
#   deno task release --release "$VERSION" --compile
#       (connected machine: compiled binaries)
# then
#   docker buildx build -f images/syncer.Dockerfile --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION="$VERSION" -t ghcr.io/kubestellar/kubestellar-deno-syncer:"$VERSION" .
# Add --push (after `docker login ghcr.io`) to publish it; prep-for-syncer takes it with
# --syncer-image, or as its default once lib/syncer_prep/syncer_image.ts names it.
# tests/scripts/release_test.ts runs this file's ENTRYPOINT from an unpacked archive.

FROM debian:bookworm-slim
ARG TARGETARCH
ARG VERSION
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 65532 --user-group --no-create-home kubestellar
ADD dist/release/kubestellar_${VERSION}_linux_${TARGETARCH}.tar.gz /opt/kubestellar/
# Bundle builds: the Deno runtime's cache (the user has no home directory).
ENV PATH=/opt/kubestellar/bin:$PATH DENO_DIR=/tmp/kubestellar-deno
USER 65532:65532
ENTRYPOINT ["/opt/kubestellar/bin/kubestellar", "syncer"]
