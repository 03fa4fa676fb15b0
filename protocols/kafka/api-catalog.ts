import type { MessageSpec } from './schema/message-schema.js';
import { parseVersionRange } from './schema/version-range.js';
import { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './messages/add-offsets-to-txn.js';
import { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './messages/add-partitions-to-txn.js';
import { AlterConfigsRequest, AlterConfigsResponse } from './messages/alter-configs.js';
import { ApiVersionsRequest, ApiVersionsResponse } from './messages/api-versions.js';
import { ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse } from './messages/consumer-group-describe.js';
import { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from './messages/consumer-group-heartbeat.js';
import { CreatePartitionsRequest, CreatePartitionsResponse } from './messages/create-partitions.js';
import { CreateTopicsRequest, CreateTopicsResponse } from './messages/create-topics.js';
import { DeleteGroupsRequest, DeleteGroupsResponse } from './messages/delete-groups.js';
import { DeleteRecordsRequest, DeleteRecordsResponse } from './messages/delete-records.js';
import { DeleteTopicsRequest, DeleteTopicsResponse } from './messages/delete-topics.js';
import { DescribeClusterRequest, DescribeClusterResponse } from './messages/describe-cluster.js';
import { DescribeConfigsRequest, DescribeConfigsResponse } from './messages/describe-configs.js';
import { DescribeGroupsRequest, DescribeGroupsResponse } from './messages/describe-groups.js';
import { DescribeProducersRequest, DescribeProducersResponse } from './messages/describe-producers.js';
import { DescribeTransactionsRequest, DescribeTransactionsResponse } from './messages/describe-transactions.js';
import { EndTxnRequest, EndTxnResponse } from './messages/end-txn.js';
import { FetchRequest, FetchResponse } from './messages/fetch.js';
import { FindCoordinatorRequest, FindCoordinatorResponse } from './messages/find-coordinator.js';
import { HeartbeatRequest, HeartbeatResponse } from './messages/heartbeat.js';
import { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from './messages/incremental-alter-configs.js';
import { InitProducerIdRequest, InitProducerIdResponse } from './messages/init-producer-id.js';
import { JoinGroupRequest, JoinGroupResponse } from './messages/join-group.js';
import { LeaveGroupRequest, LeaveGroupResponse } from './messages/leave-group.js';
import { ListGroupsRequest, ListGroupsResponse } from './messages/list-groups.js';
import { ListOffsetsRequest, ListOffsetsResponse } from './messages/list-offsets.js';
import { ListTransactionsRequest, ListTransactionsResponse } from './messages/list-transactions.js';
import { MetadataRequest, MetadataResponse } from './messages/metadata.js';
import { OffsetCommitRequest, OffsetCommitResponse } from './messages/offset-commit.js';
import { OffsetDeleteRequest, OffsetDeleteResponse } from './messages/offset-delete.js';
import { OffsetFetchRequest, OffsetFetchResponse } from './messages/offset-fetch.js';
import { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from './messages/offset-for-leader-epoch.js';
import { ProduceRequest, ProduceResponse } from './messages/produce.js';
import { SaslAuthenticateRequest, SaslAuthenticateResponse } from './messages/sasl-authenticate.js';
import { SaslHandshakeRequest, SaslHandshakeResponse } from './messages/sasl-handshake.js';
import { SyncGroupRequest, SyncGroupResponse } from './messages/sync-group.js';
import { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './messages/txn-offset-commit.js';
import { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from './messages/write-txn-markers.js';

/**
 * Every Kafka API this codec speaks: its key, request and response schemas, and the version
 * range the schemas cover (`minVersion`..`maxVersion`, inclusive). A broker builds its
 * ApiVersions response from this range, narrowed by policy (see release-versions.ts for the
 * `--as-version` caps and docs/protocol-kafka.md for recommended limits such as Fetch <= 12
 * until the broker has topic ids).
 */
export interface KafkaApi<Req extends MessageSpec = MessageSpec, Res extends MessageSpec = MessageSpec> {
  readonly key: number;
  readonly name: string;
  readonly request: Req;
  readonly response: Res;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version (Infinity when the API has none). */
  readonly firstFlexibleVersion: number;
}

function api<Req extends MessageSpec, Res extends MessageSpec>(key: number, name: string, request: Req, response: Res): KafkaApi<Req, Res> {
  const valid = parseVersionRange(request.validVersions);
  const flexible = parseVersionRange(request.flexibleVersions);
  return { key, name, request, response, minVersion: valid.min, maxVersion: valid.max, firstFlexibleVersion: flexible.min <= flexible.max ? flexible.min : Infinity };
}

/** The APIs by name: `KafkaApis.Metadata.request` is the MetadataRequest schema. */
export const KafkaApis = {
  Produce: api(0, 'Produce', ProduceRequest, ProduceResponse),
  Fetch: api(1, 'Fetch', FetchRequest, FetchResponse),
  ListOffsets: api(2, 'ListOffsets', ListOffsetsRequest, ListOffsetsResponse),
  Metadata: api(3, 'Metadata', MetadataRequest, MetadataResponse),
  OffsetCommit: api(8, 'OffsetCommit', OffsetCommitRequest, OffsetCommitResponse),
  OffsetFetch: api(9, 'OffsetFetch', OffsetFetchRequest, OffsetFetchResponse),
  FindCoordinator: api(10, 'FindCoordinator', FindCoordinatorRequest, FindCoordinatorResponse),
  JoinGroup: api(11, 'JoinGroup', JoinGroupRequest, JoinGroupResponse),
  Heartbeat: api(12, 'Heartbeat', HeartbeatRequest, HeartbeatResponse),
  LeaveGroup: api(13, 'LeaveGroup', LeaveGroupRequest, LeaveGroupResponse),
  SyncGroup: api(14, 'SyncGroup', SyncGroupRequest, SyncGroupResponse),
  DescribeGroups: api(15, 'DescribeGroups', DescribeGroupsRequest, DescribeGroupsResponse),
  ListGroups: api(16, 'ListGroups', ListGroupsRequest, ListGroupsResponse),
  SaslHandshake: api(17, 'SaslHandshake', SaslHandshakeRequest, SaslHandshakeResponse),
  ApiVersions: api(18, 'ApiVersions', ApiVersionsRequest, ApiVersionsResponse),
  CreateTopics: api(19, 'CreateTopics', CreateTopicsRequest, CreateTopicsResponse),
  DeleteTopics: api(20, 'DeleteTopics', DeleteTopicsRequest, DeleteTopicsResponse),
  DeleteRecords: api(21, 'DeleteRecords', DeleteRecordsRequest, DeleteRecordsResponse),
  InitProducerId: api(22, 'InitProducerId', InitProducerIdRequest, InitProducerIdResponse),
  OffsetForLeaderEpoch: api(23, 'OffsetForLeaderEpoch', OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse),
  AddPartitionsToTxn: api(24, 'AddPartitionsToTxn', AddPartitionsToTxnRequest, AddPartitionsToTxnResponse),
  AddOffsetsToTxn: api(25, 'AddOffsetsToTxn', AddOffsetsToTxnRequest, AddOffsetsToTxnResponse),
  EndTxn: api(26, 'EndTxn', EndTxnRequest, EndTxnResponse),
  WriteTxnMarkers: api(27, 'WriteTxnMarkers', WriteTxnMarkersRequest, WriteTxnMarkersResponse),
  TxnOffsetCommit: api(28, 'TxnOffsetCommit', TxnOffsetCommitRequest, TxnOffsetCommitResponse),
  DescribeConfigs: api(32, 'DescribeConfigs', DescribeConfigsRequest, DescribeConfigsResponse),
  AlterConfigs: api(33, 'AlterConfigs', AlterConfigsRequest, AlterConfigsResponse),
  SaslAuthenticate: api(36, 'SaslAuthenticate', SaslAuthenticateRequest, SaslAuthenticateResponse),
  CreatePartitions: api(37, 'CreatePartitions', CreatePartitionsRequest, CreatePartitionsResponse),
  DeleteGroups: api(42, 'DeleteGroups', DeleteGroupsRequest, DeleteGroupsResponse),
  IncrementalAlterConfigs: api(44, 'IncrementalAlterConfigs', IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse),
  OffsetDelete: api(47, 'OffsetDelete', OffsetDeleteRequest, OffsetDeleteResponse),
  DescribeCluster: api(60, 'DescribeCluster', DescribeClusterRequest, DescribeClusterResponse),
  DescribeProducers: api(61, 'DescribeProducers', DescribeProducersRequest, DescribeProducersResponse),
  DescribeTransactions: api(65, 'DescribeTransactions', DescribeTransactionsRequest, DescribeTransactionsResponse),
  ListTransactions: api(66, 'ListTransactions', ListTransactionsRequest, ListTransactionsResponse),
  ConsumerGroupHeartbeat: api(68, 'ConsumerGroupHeartbeat', ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse),
  ConsumerGroupDescribe: api(69, 'ConsumerGroupDescribe', ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse),
} as const;

export type KafkaApiName = keyof typeof KafkaApis;

const byKey = new Map<number, KafkaApi>(Object.values(KafkaApis).map((a) => [a.key, a as KafkaApi]));

/** The API with this key, or undefined when the codec does not know it. */
export function kafkaApiByKey(key: number): KafkaApi | undefined {
  return byKey.get(key);
}

/** All known APIs in key order. */
export function allKafkaApis(): KafkaApi[] {
  return [...byKey.values()].sort((a, b) => a.key - b.key);
}

export function isFlexibleVersion(api: KafkaApi, version: number): boolean {
  return version >= api.firstFlexibleVersion;
}
