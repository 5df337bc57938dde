# syntax=docker/dockerfile:1
# netpol-bot GitHub App image: `docker build -t netpol-bot .`
# Run: docker run -p 3000:3000 -e APP_ID=... -e WEBHOOK_SECRET=... -e PRIVATE_KEY="$(cat key.pem)" netpol-bot
# test/ops/dockerfile.test.ts runs this file's CMD and HEALTHCHECK locally (no image build there).
ARG NODE_VERSION=20.20

# ---- build: compile TypeScript -------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle-cli.mjs ./scripts/
RUN npx tsc -p tsconfig.build.json
# The `netpol` bin of package.json: the CLI bundled into lib/bin, so it starts fast.
RUN node scripts/bundle-cli.mjs

# ---- renderers: kustomize and helm, pinned and checked ---------------------------------------------------
# Kustomize overlays and Helm charts are rendered with the real tools (remote resources and plugins refused,
# see src/manifests/render). Versions are pinned and each download is checked against its published
# sha256 (kustomize's checksums.txt, Helm's .sha256sum file); a mismatch fails the build. linux/amd64 only:
# other architectures fail here until their checksums are added.
FROM debian:bookworm-slim AS renderers
ARG TARGETARCH=amd64
ARG KUSTOMIZE_VERSION=5.5.0
ARG KUSTOMIZE_SHA256_amd64=6703a3a70a0c47cf0b37694030b54f1175a9dfeb17b3818b623ed58b9dbc2a77
ARG HELM_VERSION=3.16.3
ARG HELM_SHA256_amd64=f5355c79190951eed23c5432a3b920e071f4c00a64f75e077de0dd4cb7b294ea
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    case "$TARGETARCH" in \
      amd64) ks="$KUSTOMIZE_SHA256_amd64"; hs="$HELM_SHA256_amd64" ;; \
      *) echo "no pinned kustomize/helm checksums for $TARGETARCH"; exit 1 ;; \
    esac; \
    curl -fsSLo /tmp/k.tgz "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}/kustomize_v${KUSTOMIZE_VERSION}_linux_${TARGETARCH}.tar.gz"; \
    echo "${ks}  /tmp/k.tgz" | sha256sum -c -; \
    tar -xzf /tmp/k.tgz -C /usr/local/bin kustomize; \
    curl -fsSLo /tmp/h.tgz "https://get.helm.sh/helm-v${HELM_VERSION}-linux-${TARGETARCH}.tar.gz"; \
    echo "${hs}  /tmp/h.tgz" | sha256sum -c -; \
    tar -xzf /tmp/h.tgz -C /tmp "linux-${TARGETARCH}/helm"; \
    install -m 0755 "/tmp/linux-${TARGETARCH}/helm" /usr/local/bin/helm; \
    kustomize version; helm version --short

# ---- runtime: production dependencies and lib/ only ----------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
# Probot listens on localhost by default: unreachable from outside the container.
ENV HOST=0.0.0.0
ENV PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc, which is a dev dependency and not installed here.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ==== kustomize / helm ====================================================================================
# Rendering Kustomize overlays and Helm charts needs the `kustomize` and `helm` binaries on PATH (without
# them those inputs are reported as skipped): copied from the checked `renderers` stage above.
COPY --from=renderers /usr/local/bin/kustomize /usr/local/bin/helm /usr/local/bin/
# ==== end kustomize / helm ================================================================================

COPY --from=build /app/lib ./lib
COPY app.yml ./
COPY schema ./schema
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# What `npm start` runs (probot run ./lib/index.js), without npm in between: signals reach node directly.
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./lib/index.js"]
