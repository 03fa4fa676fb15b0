import { KafkaApis } from '../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../protocols/kafka/error-codes.js';
import { KafkaResponseError } from '../clients/kafka/client-errors.js';
import type { KafkaClient } from '../clients/kafka/kafka-client.js';

const GROUP_KEY = 0;
/** OffsetFetch v7 has RequireStable (KIP-447) and still names a single group. */
const OFFSET_FETCH_VERSION = 7;

/**
 * A group's committed offset of one partition, read with RequireStable: while a transaction
 * holds an uncommitted offset for it the coordinator answers UNSTABLE_OFFSET_COMMIT, and we
 * ask again. -1 when the group has committed nothing. Throws on other errors.
 */
export async function committedOffset(client: KafkaClient, group: string, topic: string, partition: number, signal?: AbortSignal): Promise<number> {
  for (;;) {
    if (signal?.aborted) throw new Error('aborted');
    const any = await client.anyConnection();
    const found = await any.request(KafkaApis.FindCoordinator, { key: group, keyType: GROUP_KEY }, Math.min(3, any.versionFor(KafkaApis.FindCoordinator)));
    if (found.errorCode === ErrorCode.NONE) {
      if (!client.brokers.has(found.nodeId)) await client.refreshMetadata([]);
      const conn = await client.connectionTo(found.nodeId, 'coordinator');
      const r = await conn.request(KafkaApis.OffsetFetch, { groupId: group, topics: [{ name: topic, partitionIndexes: [partition] }], requireStable: true }, OFFSET_FETCH_VERSION);
      const p = r.topics[0]?.partitions[0];
      const code = r.errorCode !== ErrorCode.NONE ? r.errorCode : (p?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR);
      if (code === ErrorCode.NONE) return Number(p!.committedOffset);
      if (code !== ErrorCode.UNSTABLE_OFFSET_COMMIT && code !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && code !== ErrorCode.NOT_COORDINATOR && code !== ErrorCode.COORDINATOR_NOT_AVAILABLE) {
        throw new KafkaResponseError(code, `fetching the offset of ${group} for ${topic}-${partition}`);
      }
    } else if (found.errorCode !== ErrorCode.COORDINATOR_NOT_AVAILABLE && found.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) {
      throw new KafkaResponseError(found.errorCode, `finding the coordinator of ${group}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
