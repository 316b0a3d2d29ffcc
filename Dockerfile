# syntax=docker/dockerfile:1
#
# One image for both processes of the qsLAM PCR Server:
#   API (default):  node dist/apps/api/apps/api/src/main.js
#   worker:         node dist/apps/worker/apps/worker/src/main.js
# See docker-compose.yml for the usual way to run them (Redis, the shared /data volume).
#
# Build:  docker build -t qslam-pcr-server .

ARG NODE_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# Build stage: the full toolchain, dev dependencies, the TypeScript build, then prune dev deps.
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build

# python3/make/g++ build sqlite3's native addon when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
RUN npm run build \
  && npm prune --omit=dev \
  && npm cache clean --force

# ---------------------------------------------------------------------------------------------
# Runtime stage: Node 20 on the same Debian release (the sqlite3 addon built above links against
# its glibc), the bioinformatics tools the worker runs, and tini as PID 1.
# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

RUN apt-get update \
  && apt-get install -y --no-install-recommends \
    fastqc cutadapt fastp bwa samtools bedtools pigz fonts-dejavu-core \
    tini ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=5000 \
    QSLAM_DATA_DIR=/data

COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# The data directory (SQLite file + run workspaces) belongs to the unprivileged `node` user; a new
# named volume mounted here starts with this ownership.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node

EXPOSE 5000

# tini reaps orphans: the worker starts each job as a detached process group, which outlives its
# parent when the worker restarts. `-s` (subreaper) keeps that true when tini is not PID 1, e.g.
# under compose `init: true`. Signals go to the node process only, not to the job groups.
ENTRYPOINT ["/usr/bin/tini", "-s", "--"]
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
