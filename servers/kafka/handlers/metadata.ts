import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import type { BrokerState } from '../broker-state.js';
import { isInternalTopic, topicNameProblem } from '../metadata/topic-name.js';
import type { TopicMetadata } from '../metadata/topic-registry.js';
import { defineHandler } from './api-handler.js';

function describeTopic(broker: BrokerState, t: TopicMetadata) {
  const self = broker.nodeId;
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.id,
    isInternal: isInternalTopic(t.name),
    partitions: Array.from({ length: t.partitions }, (_, p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: self,
      leaderEpoch: broker.leaderEpoch,
      replicaNodes: [self],
      isrNodes: [self],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  };
}

/**
 * Metadata: this node as the only broker and controller, leader of every partition, with
 * topic ids (v10+). Unknown topics are created when auto.create.topics.enable is on and the
 * request allows it (v4+; always for older versions), with num.partitions partitions; the
 * request that creates one is still answered UNKNOWN_TOPIC_OR_PARTITION for it, as Apache 3.9
 * (KRaft) answers while its controller creates the topic.
 */
export const metadataHandler = defineHandler({
  api: KafkaApis.Metadata,
  minVersion: 0,
  maxVersion: 12,
  handle: (req, ctx) => {
    const { broker, header } = ctx;
    const v = header.apiVersion;
    // v0: an empty list means all topics; v1+: null means all, empty means none.
    const all = req.topics === null || (v === 0 && req.topics.length === 0);
    const topics = [];
    if (all) {
      for (const t of broker.topics.all()) topics.push(describeTopic(broker, t));
    } else {
      for (const requested of req.topics!) {
        let name = requested.name;
        if (name === null) {
          const byId = broker.topics.byId(requested.topicId);
          if (!byId) {
            topics.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: requested.topicId, isInternal: false, partitions: [] });
            continue;
          }
          name = byId.name;
        }
        const t = broker.topics.get(name);
        if (!t) {
          const problem = topicNameProblem(name);
          const mayCreate = broker.config.autoCreateTopics && (v < 4 || req.allowAutoTopicCreation) && !isInternalTopic(name);
          if (problem) {
            topics.push({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, topicId: ZERO_UUID, isInternal: false, partitions: [] });
            continue;
          }
          if (mayCreate) {
            const created = broker.autoCreate(name);
            broker.log.info(`auto-created topic ${name} with ${created.partitions} partition(s)`);
          }
          // Apache (KRaft) asks its controller to create the topic and answers this request
          // without it; clients retry, and the next Metadata finds it.
          topics.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: ZERO_UUID, isInternal: false, partitions: [] });
          continue;
        }
        topics.push(describeTopic(broker, t));
      }
    }
    const { host, port } = broker.config.advertised;
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: broker.nodeId, host, port, rack: null }],
      clusterId: broker.topics.clusterId,
      controllerId: broker.nodeId,
      topics,
      clusterAuthorizedOperations: -2147483648,
    };
  },
});
