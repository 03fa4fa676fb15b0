import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster } from '../../../../workloads/launchers/local-cluster.js';
import { cachedApache } from '../../launchers/cached-apache.js';
import { startTestBroker } from './broker-fixture.js';
import { type TranscriptEntry, runCoordinatorScenario } from './coordinator-scenario.js';

const version = '3.9.2';
const { dist, reason } = await cachedApache('kafka', version);
if (!dist) console.warn(`skipping the Apache side of the coordinator parity test: ${reason}`);

function responseOf(transcript: TranscriptEntry[], step: string): unknown {
  const e = transcript.find((x) => x.step === step);
  if (!e) throw new Error(`no step ${step}`);
  return e.response;
}

describe('groups, idempotence and transactions: the reference broker answers as Apache Kafka does', () => {
  let reference: TranscriptEntry[];
  beforeAll(async () => {
    const broker = await startTestBroker();
    try {
      reference = await runCoordinatorScenario(broker.bootstrap, 'parity');
    } finally {
      await broker.stop();
    }
  });

  it('gives the errors the protocol prescribes (reference broker alone)', () => {
    expect(responseOf(reference, 'JoinGroup v5 without member id')).toMatchObject({ errorCode: 'MEMBER_ID_REQUIRED', memberId: '<member2>' });
    expect(responseOf(reference, 'JoinGroup v5 with the assigned member id')).toMatchObject({ errorCode: 'NONE', generationId: 1, leader: '<member2>', memberId: '<member2>' });
    expect(responseOf(reference, 'JoinGroup other protocol type')).toMatchObject({ errorCode: 'INCONSISTENT_GROUP_PROTOCOL' });
    expect(responseOf(reference, 'SyncGroup v5 without protocol type and name')).toMatchObject({ errorCode: 'INCONSISTENT_GROUP_PROTOCOL' });
    expect(responseOf(reference, 'SyncGroup leader')).toMatchObject({ errorCode: 'NONE', assignment: 'bytes(10)' });
    expect(responseOf(reference, 'Heartbeat wrong generation')).toMatchObject({ errorCode: 'ILLEGAL_GENERATION' });
    expect(responseOf(reference, 'DeleteGroups non-empty and unknown')).toMatchObject({
      results: [
        { groupId: 'parity-group', errorCode: 'NON_EMPTY_GROUP' },
        { groupId: 'parity-group-none', errorCode: 'GROUP_ID_NOT_FOUND' },
      ],
    });
    expect(responseOf(reference, 'Produce seq 0..2 again (duplicate)')).toMatchObject({ responses: [{ partitionResponses: [{ errorCode: 'NONE', baseOffset: '0' }] }] });
    expect(responseOf(reference, 'Produce seq 7 (gap)')).toMatchObject({ responses: [{ partitionResponses: [{ errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER' }] }] });
    expect(responseOf(reference, 'Produce epoch 0 (stale)')).toMatchObject({ responses: [{ partitionResponses: [{ errorCode: 'INVALID_PRODUCER_EPOCH' }] }] });
    expect(responseOf(reference, 'OffsetFetch v7 require stable (open transaction)')).toMatchObject({ topics: [{ partitions: [{ errorCode: 'UNSTABLE_OFFSET_COMMIT' }] }] });
    expect(responseOf(reference, 'Fetch read_committed with an open transaction')).toMatchObject({ highWatermark: '2', lastStableOffset: '0' });
    expect(responseOf(reference, 'Fetch read_committed after abort')).toMatchObject({ lastStableOffset: '3', abortedTransactions: [{ producerId: '<pid2>', firstOffset: '0' }] });
    expect(responseOf(reference, 'InitProducerId while a transaction is open')).toMatchObject({ errorCode: 'CONCURRENT_TRANSACTIONS' });
    expect(responseOf(reference, 'Produce with the fenced epoch')).toMatchObject({ responses: [{ partitionResponses: [{ errorCode: 'INVALID_PRODUCER_EPOCH' }] }] });
    expect(responseOf(reference, 'EndTxn wrong epoch v1')).toMatchObject({ errorCode: 'INVALID_PRODUCER_EPOCH' });
    expect(responseOf(reference, 'EndTxn wrong epoch v3')).toMatchObject({ errorCode: 'PRODUCER_FENCED' });
  });

  describe.skipIf(!dist)(`against Apache Kafka ${version}`, () => {
    let dir: string;
    let cluster: LocalCluster | undefined;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kz-parity-'));
      cluster = await LocalCluster.start({ system: 'kafka', impl: 'apache', version, nodes: 1, dir });
    });
    afterAll(async () => {
      await cluster?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('produces the same transcript, step by step', async () => {
      const apache = await runCoordinatorScenario(cluster!.connectString, 'parity');
      expect(apache.map((e) => e.step)).toEqual(reference.map((e) => e.step));
      for (let i = 0; i < apache.length; i++) expect({ step: reference[i]!.step, response: reference[i]!.response }).toEqual(apache[i]);
    });
  });
});
