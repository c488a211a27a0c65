# syntax=docker/dockerfile:1
# I-SOP Exchange API.
#   docker build -t isop-exchange .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://... isop-exchange
# Without DATABASE_URL the embedded database (PGlite) keeps its files in the /app/data/db
# volume; run one container per volume, never two at once.
# Administration: docker run --rm [same env/volume] isop-exchange node dist/src/cli/admin.js help
# (with the embedded database, stop the server container first).

# ---- build: compile TypeScript --------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# .npmrc (legacy-peer-deps) and the dependency patches (postinstall) must be in place before npm ci.
COPY package.json package-lock.json .npmrc ./
COPY scripts/patch-dependencies.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY . .
# data/ and openapi/ are created when absent so the runtime stage can always copy them.
RUN npm run build && mkdir -p data/warninglists openapi && rm -rf data/db

# ---- runtime: production dependencies and compiled code only ---------------------------
FROM node:20-bookworm-slim AS runtime
# The allocator settings and the V8 heap bound are package.json's `start` script's (keep them
# the same; bench/lib/server.ts runs the measured server with them): two malloc arenas and a
# fixed mmap threshold, so that the 16 MB scrypt buffers of token requests go back to the system
# instead of staying in per-thread arenas; the old generation bounded so that peak memory stays
# under 300 MB (bench/RESULTS.md, memory), the young generation kept at its usual size (with the
# old generation bounded V8 shrinks it, and a batch's short-lived objects cost more CPU in
# garbage collection). The bound costs some ingest CPU all the same: see the issue 12 notes.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=262144 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data/db
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/patch-dependencies.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/data ./data
COPY --from=build /app/openapi ./openapi
# The code stays root-owned and read-only to the service; only the database folder is its own.
RUN mkdir -p /app/data/db && chown node:node /app/data/db
USER node
VOLUME ["/app/data/db"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=16", "dist/src/server.js"]
