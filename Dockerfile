# syntax=docker/dockerfile:1
# Verdict: one image for the engine (default command) and the projector (`node dist/apps/projector/src/main.js`).

# Node 24, the active LTS line (22 works too; 20 is end of life and better-sqlite3 13 needs 22 or later).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: compile TypeScript, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No compiler needed: better-sqlite3 13 and onnxruntime-node ship Node-API binaries for linux x64/arm64 (glibc and musl).
# onnxruntime-node bundles its CPU binaries; skip the optional download of GPU (CUDA) ones.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
COPY tools ./tools
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: compiled code and migrations, production node_modules, the model; no compilers, not root ----
FROM ${NODE_IMAGE} AS runtime
# Only settings loadConfig() reads (libs/config/src/verdict-config.ts): listen on all interfaces in a container.
ENV HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
# dist holds the compiled read-model migrations too (dist/migrations, imported by libs/read-models).
COPY --from=build /app/dist ./dist
COPY models ./models
# Embedded mode (SQLite files) writes under /app/data; the compose stack uses EventStoreDB and PostgreSQL instead.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/apps/engine/src/main.js"]
