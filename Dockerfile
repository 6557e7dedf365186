# One image for every service; the container's command picks the service.
# Stages: toolchain -> deps (all dependencies) -> build (dist) ; toolchain ->
# prod-deps (runtime dependencies only) ; runtime (node, prod-deps, dist).
# scripts/dockerfile-dry-run.mjs (npm run docker:dry-run) runs these steps in order without a Docker engine.

FROM node:20-bookworm-slim AS toolchain
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

# Every dependency, dev ones included (typescript builds dist). --ignore-scripts
# because `npm ci` would run this project's `prepare` (npm run build) before the
# sources are here; the dependencies whose install scripts are needed are the
# ones package.json lists under allowScripts, rebuilt by name right after.
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts \
  && npm rebuild $(node -p "Object.keys(require('./package.json').allowScripts).join(' ')")

FROM deps AS build
COPY . .
# Compiles and type-checks everything, tests included; dist is what runs.
RUN npm run build

# Runtime dependencies only, compiled here where the toolchain is, so that the
# runtime stage needs none. Depends on the lock file alone: cached across source changes.
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
  && npm rebuild $(node -p "Object.keys(require('./package.json').allowScripts).join(' ')")

FROM node:20-bookworm-slim AS runtime
# NODE_ENV=production is the production layout: a process refuses to start
# without QUEUE_SECRET (api) or DATA_PLATFORM_URL (dataplatform).
# The embedded store, when no EVENTSTORE_URL is given, lives in the node user's
# home, the one place it may write.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/home/node/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
# Only what runs: not the benchmarks, whose dependencies are dev ones.
COPY --from=build /app/dist/infra ./dist/infra
COPY --from=build /app/dist/domains ./dist/domains
COPY --from=build /app/dist/bus ./dist/bus
COPY --from=build /app/dist/projections ./dist/projections
# The operator console's page modules, served as they are (its libraries come with node_modules).
COPY --from=build /app/console ./console
USER node
EXPOSE 3000
CMD ["node", "dist/infra/main.js"]
