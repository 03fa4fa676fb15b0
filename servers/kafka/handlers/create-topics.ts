import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import { InvalidConfigError } from '../config/invalid-config-error.js';
import { topicNameProblem } from '../metadata/topic-name.js';
import { defineHandler } from './api-handler.js';
import { createdTopicConfigs } from './topic-configs-view.js';

/**
 * CreateTopics. One broker: a replication factor (or manual assignment) needing more than
 * this node fails with INVALID_REPLICATION_FACTOR / INVALID_REPLICA_ASSIGNMENT, as Apache
 * answers on a one-broker cluster. -1 partitions / replication factor take the broker defaults.
 */
export const createTopicsHandler = defineHandler({
  api: KafkaApis.CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const duplicates = duplicateNames(req.topics.map((t) => t.name));
    const topics = req.topics.filter((t) => !duplicates.has(t.name)).map((t) => {
      const fail = (errorCode: number, errorMessage: string) => ({
        name: t.name,
        topicId: ZERO_UUID,
        errorCode,
        errorMessage,
        numPartitions: -1,
        replicationFactor: -1,
        configs: [],
      });
      const problem = topicNameProblem(t.name);
      if (problem) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
      if (broker.topics.get(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
      // Apache's controller checks configs before partitions and replicas.
      const configs: Record<string, string> = {};
      for (const c of t.configs) {
        if (c.value === null) return fail(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${c.name}`);
        configs[c.name] = c.value;
      }
      try {
        broker.validateTopicConfigs(configs);
      } catch (err) {
        if (err instanceof InvalidConfigError) return fail(ErrorCode.INVALID_CONFIG, err.message);
        throw err;
      }
      let partitions = t.numPartitions;
      if (t.assignments.length > 0) {
        if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
          return fail(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
        }
        const bad = t.assignments.find((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.nodeId);
        if (bad) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Replica assignment ${JSON.stringify(bad.brokerIds)} names brokers other than the only one, ${broker.nodeId}.`);
        const indexes = t.assignments.map((a) => a.partitionIndex).sort((a, b) => a - b);
        if (indexes.some((p, i) => p !== i)) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Partitions should be a consecutive 0-based integer sequence');
        partitions = indexes.length;
      } else {
        if (partitions === -1) partitions = broker.config.numPartitions;
        if (partitions <= 0) return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
        const rf = t.replicationFactor === -1 ? broker.config.defaultReplicationFactor : t.replicationFactor;
        if (rf <= 0) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
        if (rf > 1) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only 1 broker(s) are registered.`);
      }
      if (req.validateOnly) return { ...fail(ErrorCode.NONE, ''), errorMessage: null, numPartitions: partitions, replicationFactor: 1, configs: createdTopicConfigs(broker, configs) };
      const created = broker.createTopic(t.name, partitions, configs);
      broker.log.info(`created topic ${t.name} with ${partitions} partition(s)`);
      return {
        name: t.name,
        topicId: created.id,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        numPartitions: partitions,
        replicationFactor: 1,
        configs: createdTopicConfigs(broker, created.configs),
      };
    });
    // A name given twice is refused once, after the others, as Apache's ControllerApis answers.
    for (const name of duplicates) {
      topics.push({ name, topicId: ZERO_UUID, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.', numPartitions: -1, replicationFactor: -1, configs: [] });
    }
    return { throttleTimeMs: 0, topics };
  },
});

function duplicateNames(names: string[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) (seen.has(name) ? duplicates : seen).add(name);
  return duplicates;
}
