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
RUN npx tsc -p tsconfig.build.json

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
# them those inputs are reported as skipped). Install them HERE, pinned by version and checked by sha256,
# into /usr/local/bin, before `USER node`. (Snippet to be provided; keep this marker block.)
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
