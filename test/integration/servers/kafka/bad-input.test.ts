import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { decodeResponseFrame, encodeRequestFrame } from '../../../../protocols/kafka/message-frames.js';
import { BatchField, buildRecordBatch, crc32c } from '../../../../protocols/kafka/records/index.js';
import { startTestBroker } from './broker-fixture.js';

/** Sends raw bytes on a fresh connection; resolves with what came back before close or timeout. */
function exchange(port: number, bytes: Buffer, waitMs = 300): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    s.on('data', (d) => chunks.push(d));
    s.on('close', () => {
      closed = true;
      finish();
    });
    s.on('error', () => {});
    const timer = setTimeout(finish, waitMs);
    function finish() {
      clearTimeout(timer);
      s.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    }
    s.write(bytes);
  });
}

function produceFrame(records: Buffer, topic = 'fuzz'): Buffer {
  return encodeRequestFrame(KafkaApis.Produce, { apiKey: 0, apiVersion: 7, correlationId: 9, clientId: 'fuzz' }, {
    transactionalId: null,
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  }).toBuffer();
}

async function produceError(port: number, records: Buffer): Promise<number> {
  const { data } = await exchange(port, produceFrame(records), 500);
  const { body } = decodeResponseFrame(KafkaApis.Produce, 7, data.subarray(4));
  return body.responses[0]!.partitionResponses[0]!.errorCode;
}

describe('bad input never crashes the broker nor corrupts a log', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  beforeAll(async () => {
    broker = await startTestBroker({ 'socket.request.max.bytes': '65536' });
    broker.state.createTopic('fuzz', 1, {});
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('answers damaged record batches with the right error and stores nothing', async () => {
    const good = await buildRecordBatch([{ key: 'k', value: 'v' }]);
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 1]! ^= 1;
    expect(await produceError(broker.port, badCrc)).toBe(ErrorCode.CORRUPT_MESSAGE);
    const badMagic = Buffer.from(good);
    badMagic.writeInt8(1, BatchField.magic);
    expect(await produceError(broker.port, badMagic)).toBe(ErrorCode.INVALID_RECORD);
    expect(await produceError(broker.port, good.subarray(0, good.length - 5))).toBe(ErrorCode.CORRUPT_MESSAGE);
    const twoBatches = Buffer.concat([good, good]);
    expect(await produceError(broker.port, twoBatches)).toBe(ErrorCode.INVALID_RECORD);
    const control = Buffer.from(good);
    control.writeInt16BE(0x30, BatchField.attributes);
    control.writeUInt32BE(crc32c(control.subarray(BatchField.attributes)), BatchField.crc);
    expect(await produceError(broker.port, control)).toBe(ErrorCode.INVALID_RECORD);
    expect(broker.state.partitionLog('fuzz', 0)!.logEndOffset).toBe(0);
    expect(await produceError(broker.port, good)).toBe(ErrorCode.NONE);
    expect(broker.state.partitionLog('fuzz', 0)!.logEndOffset).toBe(1);
  });

  it('closes only the offending connection on garbage, unknown APIs, oversize and truncated frames', async () => {
    const unknownKey = Buffer.from('0000000a' + '7fff0000' + '00000001' + '0000', 'hex');
    const unsupportedVersion = Buffer.from('0000000a' + '0000007f' + '00000001' + '0000', 'hex');
    const oversize = Buffer.from('7fffffff', 'hex');
    const negative = Buffer.from('ffffffff', 'hex');
    const truncatedBody = Buffer.concat([Buffer.from('00000020', 'hex'), Buffer.alloc(32, 0xee)]);
    const cases = { unknownKey, unsupportedVersion, oversize, negative, truncatedBody };
    for (const [name, bytes] of Object.entries(cases)) {
      const r = await exchange(broker.port, bytes, 2000);
      expect(r.closed, name).toBe(true);
      expect(r.data.length).toBe(0);
    }
    // Random garbage, deterministic seed.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 50; i++) {
      const len = 4 + Math.floor(rand() * 200);
      const bytes = Buffer.alloc(len);
      for (let j = 0; j < len; j++) bytes[j] = Math.floor(rand() * 256);
      bytes.writeInt32BE(len - 4, 0);
      await exchange(broker.port, bytes, 100);
    }
    // An ApiVersions version from the future gets a v0 answer with UNSUPPORTED_VERSION and, as
    // Apache answers it, only the ApiVersions range (KIP-511).
    const future = encodeRequestFrame(KafkaApis.ApiVersions, { apiKey: 18, apiVersion: 3, correlationId: 5, clientId: 'x' }, {}).toBuffer();
    future.writeInt16BE(99, 6);
    const { data } = await exchange(broker.port, future, 2000);
    const v0 = decodeResponseFrame(KafkaApis.ApiVersions, 0, data.subarray(4));
    expect(v0.correlationId).toBe(5);
    expect(v0.body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(v0.body.apiKeys).toEqual([expect.objectContaining({ apiKey: 18, minVersion: 0, maxVersion: 4 })]);
    // Still serving, log intact.
    const ok = await exchange(broker.port, encodeRequestFrame(KafkaApis.ApiVersions, { apiKey: 18, apiVersion: 2, correlationId: 6, clientId: 'x' }, {}).toBuffer(), 2000);
    expect(decodeResponseFrame(KafkaApis.ApiVersions, 2, ok.data.subarray(4)).body.errorCode).toBe(ErrorCode.NONE);
    expect(broker.state.partitionLog('fuzz', 0)!.logEndOffset).toBe(1);
  });
});
