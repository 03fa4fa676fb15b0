/** kzbench's fast Kafka client: see docs/client-kafka.md. */
export { KafkaClient, type KafkaClientOptions, type TopicInfo, type PartitionInfo, type BrokerAddress } from './kafka-client.js';
export { KafkaConnection, type KafkaConnectionOptions } from './kafka-connection.js';
export { FastProducer, type FastProducerOptions, type ProducerRecord, type BatchReport } from './fast-producer.js';
export type { RecordMetadata, DeliveryCallback } from './producer-batch.js';
export { Fetcher, IsolationLevel, type FetchOptions, type FetchResult, type FetchedRecord } from './fetcher.js';
export { runProduceLoad, type ProduceLoadOptions, type ProduceLoadResult } from './produce-driver.js';
export { runFetchLoad, type FetchLoadOptions, type FetchLoadResult } from './fetch-driver.js';
export { murmur2, partitionForKey, StickyPartitioner } from './partitioner.js';
export { KafkaResponseError, KafkaConnectionError, KafkaUnsupportedApiError } from './client-errors.js';
export { GroupMember, type GroupMemberOptions, type Generation } from './group-member.js';
