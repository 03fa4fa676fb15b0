import { UsageError } from '../../common/errors.js';
import { KafkaApis, type KafkaApiName } from './api-catalog.js';

/**
 * Per Apache Kafka release, the [min, max] version of each API this codec knows, as the
 * release's own message specs declare them (`validVersions`, less a `latestVersionUnstable`
 * version). A broker started with `--as-version X` advertises exactly these ranges (clipped
 * to what the codec speaks), mimicking Kafka X the way franz-go's kfake does.
 *
 * Read from apache/kafka tags 2.8.0 and 3.9.0 and the kafka-clients 4.0.0 / 4.1.0 jars.
 * One deliberate exception: Kafka 4.x specs start Produce at v3, but the 4.x brokers still
 * advertise Produce min 0 (KAFKA-18659), because librdkafka < 2.11.1 turns compression off
 * otherwise; the table says 0 as the real brokers do.
 *
 * The 3.9 row equals what a real Apache Kafka 3.9.1 broker advertises (checked against a
 * captured ApiVersions response in release-versions.test.ts). WriteTxnMarkers is broker-to-broker.
 */
export type VersionRangeTuple = readonly [min: number, max: number];
export type ReleaseApiVersions = Partial<Record<KafkaApiName, VersionRangeTuple>>;

export const KAFKA_RELEASE_API_VERSIONS = {
  '2.8': {
    Produce: [0, 9], Fetch: [0, 12], ListOffsets: [0, 6], Metadata: [0, 11], OffsetCommit: [0, 8], OffsetFetch: [0, 7], FindCoordinator: [0, 3], JoinGroup: [0, 7], Heartbeat: [0, 4], LeaveGroup: [0, 4], SyncGroup: [0, 5], DescribeGroups: [0, 5], ListGroups: [0, 4], SaslHandshake: [0, 1], ApiVersions: [0, 3], CreateTopics: [0, 7], DeleteTopics: [0, 6], DeleteRecords: [0, 2], InitProducerId: [0, 4], OffsetForLeaderEpoch: [0, 4], AddPartitionsToTxn: [0, 3], AddOffsetsToTxn: [0, 3], EndTxn: [0, 3], WriteTxnMarkers: [0, 1], TxnOffsetCommit: [0, 3], DescribeConfigs: [0, 4], AlterConfigs: [0, 2], SaslAuthenticate: [0, 2], CreatePartitions: [0, 3], DeleteGroups: [0, 2], IncrementalAlterConfigs: [0, 1], OffsetDelete: [0, 0], DescribeCluster: [0, 0], DescribeProducers: [0, 0],
  },
  '3.9': {
    Produce: [0, 11], Fetch: [0, 17], ListOffsets: [0, 9], Metadata: [0, 12], OffsetCommit: [0, 9], OffsetFetch: [0, 9], FindCoordinator: [0, 6], JoinGroup: [0, 9], Heartbeat: [0, 4], LeaveGroup: [0, 5], SyncGroup: [0, 5], DescribeGroups: [0, 5], ListGroups: [0, 5], SaslHandshake: [0, 1], ApiVersions: [0, 4], CreateTopics: [0, 7], DeleteTopics: [0, 6], DeleteRecords: [0, 2], InitProducerId: [0, 5], OffsetForLeaderEpoch: [0, 4], AddPartitionsToTxn: [0, 5], AddOffsetsToTxn: [0, 4], EndTxn: [0, 4], WriteTxnMarkers: [0, 1], TxnOffsetCommit: [0, 4], DescribeConfigs: [0, 4], AlterConfigs: [0, 2], SaslAuthenticate: [0, 2], CreatePartitions: [0, 3], DeleteGroups: [0, 2], IncrementalAlterConfigs: [0, 1], OffsetDelete: [0, 0], DescribeCluster: [0, 1], DescribeProducers: [0, 0], DescribeTransactions: [0, 0], ListTransactions: [0, 1], ConsumerGroupHeartbeat: [0, 0], ConsumerGroupDescribe: [0, 0],
  },
  '4.0': {
    Produce: [0, 12], Fetch: [4, 17], ListOffsets: [1, 10], Metadata: [0, 13], OffsetCommit: [2, 9], OffsetFetch: [1, 9], FindCoordinator: [0, 6], JoinGroup: [2, 9], Heartbeat: [0, 4], LeaveGroup: [0, 5], SyncGroup: [0, 5], DescribeGroups: [0, 6], ListGroups: [0, 5], SaslHandshake: [0, 1], ApiVersions: [0, 4], CreateTopics: [2, 7], DeleteTopics: [1, 6], DeleteRecords: [0, 2], InitProducerId: [0, 5], OffsetForLeaderEpoch: [2, 4], AddPartitionsToTxn: [0, 5], AddOffsetsToTxn: [0, 4], EndTxn: [0, 5], WriteTxnMarkers: [1, 1], TxnOffsetCommit: [0, 5], DescribeConfigs: [1, 4], AlterConfigs: [0, 2], SaslAuthenticate: [0, 2], CreatePartitions: [0, 3], DeleteGroups: [0, 2], IncrementalAlterConfigs: [0, 1], OffsetDelete: [0, 0], DescribeCluster: [0, 2], DescribeProducers: [0, 0], DescribeTransactions: [0, 0], ListTransactions: [0, 1], ConsumerGroupHeartbeat: [0, 1], ConsumerGroupDescribe: [0, 1],
  },
  '4.1': {
    Produce: [0, 13], Fetch: [4, 18], ListOffsets: [1, 10], Metadata: [0, 13], OffsetCommit: [2, 9], OffsetFetch: [1, 9], FindCoordinator: [0, 6], JoinGroup: [0, 9], Heartbeat: [0, 4], LeaveGroup: [0, 5], SyncGroup: [0, 5], DescribeGroups: [0, 6], ListGroups: [0, 5], SaslHandshake: [0, 1], ApiVersions: [0, 4], CreateTopics: [2, 7], DeleteTopics: [1, 6], DeleteRecords: [0, 2], InitProducerId: [0, 5], OffsetForLeaderEpoch: [2, 4], AddPartitionsToTxn: [0, 5], AddOffsetsToTxn: [0, 4], EndTxn: [0, 5], WriteTxnMarkers: [1, 1], TxnOffsetCommit: [0, 5], DescribeConfigs: [1, 4], AlterConfigs: [0, 2], SaslAuthenticate: [0, 2], CreatePartitions: [0, 3], DeleteGroups: [0, 2], IncrementalAlterConfigs: [0, 1], OffsetDelete: [0, 0], DescribeCluster: [0, 2], DescribeProducers: [0, 0], DescribeTransactions: [0, 0], ListTransactions: [0, 2], ConsumerGroupHeartbeat: [0, 1], ConsumerGroupDescribe: [0, 1],
  },
} as const satisfies Record<string, ReleaseApiVersions>;

export type KafkaRelease = keyof typeof KAFKA_RELEASE_API_VERSIONS;

export function knownKafkaReleases(): KafkaRelease[] {
  return Object.keys(KAFKA_RELEASE_API_VERSIONS) as KafkaRelease[];
}

export interface AdvertisedApiVersion {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/**
 * The ApiVersions entries for a release (`"3.9"`, or `"3.9.1"` which matches 3.9), clipped to
 * what this codec supports; APIs the release does not have are left out.
 */
export function apiVersionsForRelease(release: string): AdvertisedApiVersion[] {
  const table = releaseTable(release);
  const out: AdvertisedApiVersion[] = [];
  for (const [name, range] of Object.entries(table) as Array<[KafkaApiName, VersionRangeTuple]>) {
    const api = KafkaApis[name];
    const minVersion = Math.max(range[0], api.minVersion);
    const maxVersion = Math.min(range[1], api.maxVersion);
    if (minVersion <= maxVersion) out.push({ apiKey: api.key, minVersion, maxVersion });
  }
  return out.sort((a, b) => a.apiKey - b.apiKey);
}

function releaseTable(release: string): ReleaseApiVersions {
  const tables = KAFKA_RELEASE_API_VERSIONS as Record<string, ReleaseApiVersions>;
  const exact = tables[release];
  if (exact) return exact;
  const minor = /^(\d+\.\d+)(\.\d+)?$/.exec(release)?.[1];
  const byMinor = minor ? tables[minor] : undefined;
  if (byMinor) return byMinor;
  throw new UsageError(
    'KZ_KAFKA_UNKNOWN_RELEASE',
    `unknown Kafka release ${JSON.stringify(release)} for --as-version; known: ${knownKafkaReleases().join(', ')}`,
  );
}
