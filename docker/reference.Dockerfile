# The kzbench reference servers (TypeScript ZooKeeper and Kafka) as an image.
# Build from the repository root:
#   docker build -f docker/reference.Dockerfile -t kzbench-reference .
# The entrypoint writes zoo.cfg / server.properties from environment variables named like the
# official images' (ZOO_MY_ID, ZOO_SERVERS, KAFKA_NODE_ID, KAFKA_LISTENERS, ...), then runs
# `kzbench serve zookeeper|kafka --config <file>`; see docker/reference-entrypoint.sh.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY docker/reference-entrypoint.sh /usr/local/bin/kzbench-serve
RUN chmod 0755 /usr/local/bin/kzbench-serve && mkdir -p /data /conf
ENV KZBENCH_LOG_LEVEL=info
EXPOSE 2181 2888 3888 9092 9093
ENTRYPOINT ["/usr/local/bin/kzbench-serve"]
CMD ["zookeeper"]
