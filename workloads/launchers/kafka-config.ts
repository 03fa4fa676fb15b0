import { randomBytes } from 'node:crypto';

/** One Kafka node of a loopback KRaft cluster (broker and controller in one process). */
export interface KafkaNodeLayout {
  id: number;
  host: string;
  /** PLAINTEXT listener for clients and replication. */
  port: number;
  /** CONTROLLER listener for the KRaft quorum. */
  controllerPort: number;
  logDir: string;
}

/**
 * The `server.properties` of one node in combined mode (`process.roles=broker,controller`) with
 * a static voter set. Internal topics get a replication factor the node count can satisfy, or
 * their coordinators never load; the group rebalance delay is 0 so tests do not wait 3 s.
 */
export function serverPropertiesText(node: KafkaNodeLayout, cluster: KafkaNodeLayout[]): string {
  const replicas = Math.min(3, cluster.length);
  const minIsr = replicas >= 3 ? 2 : 1;
  const voters = cluster.map((n) => `${n.id}@${n.host}:${n.controllerPort}`).join(',');
  const props: Array<[string, string | number]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', node.id],
    ['controller.quorum.voters', voters],
    ['listeners', `PLAINTEXT://${node.host}:${node.port},CONTROLLER://${node.host}:${node.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${node.host}:${node.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['log.dirs', node.logDir],
    ['num.partitions', 1],
    ['default.replication.factor', replicas],
    ['min.insync.replicas', minIsr],
    ['offsets.topic.replication.factor', replicas],
    ['transaction.state.log.replication.factor', replicas],
    ['transaction.state.log.min.isr', minIsr],
    ['share.coordinator.state.topic.replication.factor', replicas],
    ['share.coordinator.state.topic.min.isr', minIsr],
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'true'],
  ];
  return ['# Written by kzbench cluster up.', ...props.map(([k, v]) => `${k}=${v}`)].join('\n') + '\n';
}

/**
 * A KRaft cluster id as `kafka-storage random-uuid` prints it: 16 random bytes in URL-safe
 * base64 without padding, never starting with '-' (Kafka's Uuid.randomUuid rejects those,
 * since they look like command-line flags).
 */
export function newKafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
