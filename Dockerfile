# Build stage: compile TypeScript and build the web console with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY console ./console
RUN npx nest build && npm run build:console && npm prune --omit=dev

# Run stage: the compiled server and production dependencies only, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production CMDB_DATA_DIR=/data PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# A bounded heap: V8 otherwise grows lazily past what a sync needs (see bench/sync.bench.ts).
CMD ["node", "--max-old-space-size=256", "dist/src/main"]
