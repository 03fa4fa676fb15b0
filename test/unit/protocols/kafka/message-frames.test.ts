import { describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { FrameReader } from '../../../../protocols/kafka/frame-reader.js';
import {
  decodeRequestFrame,
  decodeRequestFrameAs,
  decodeRequestHeader,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  peekCorrelationId,
  UnsupportedRequestError,
} from '../../../../protocols/kafka/message-frames.js';

function unframe(frame: Buffer): Buffer {
  let out: Buffer | undefined;
  new FrameReader().push(frame, (f) => (out = f));
  return out!;
}

describe('request and response frames', () => {
  it('writes request header v1 for a non-flexible request', () => {
    const frame = encodeRequestFrame(KafkaApis.ApiVersions, { apiKey: 18, apiVersion: 2, correlationId: 7, clientId: 'kz' }, {}).toBuffer();
    // size 12 | key 18 | version 2 | correlation 7 | client id "kz"
    expect(frame.toString('hex')).toBe('0000000c' + '0012' + '0002' + '00000007' + '0002' + '6b7a');
  });

  it('writes request header v2 for a flexible request: int16 client id, then tagged fields', () => {
    const frame = encodeRequestFrame(
      KafkaApis.ApiVersions,
      { apiKey: 18, apiVersion: 3, correlationId: 1, clientId: null },
      { clientSoftwareName: 'a', clientSoftwareVersion: 'b' },
    ).toBuffer();
    expect(frame.toString('hex')).toBe('00000010' + '0012' + '0003' + '00000001' + 'ffff' + '00' + '0261' + '0262' + '00');
    const req = decodeRequestFrame(unframe(frame));
    expect(req.header).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: null });
    expect(req.body).toMatchObject({ clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
  });

  it('answers ApiVersions v3 with response header v0 (no tagged-field byte) but a flexible body', () => {
    const frame = encodeResponseFrame(KafkaApis.ApiVersions, 3, 9, { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 9 }] }).toBuffer();
    // correlation id, then straight into the body: error 0, compact array of 1
    expect(frame.subarray(4, 11).toString('hex')).toBe('00000009' + '0000' + '02');
    const { correlationId, body } = decodeResponseFrame(KafkaApis.ApiVersions, 3, unframe(frame));
    expect(correlationId).toBe(9);
    expect(body.apiKeys).toEqual([{ apiKey: 0, minVersion: 0, maxVersion: 9 }]);
  });

  it('writes response header v1 (one tagged-field byte) for other flexible responses', () => {
    const frame = encodeResponseFrame(KafkaApis.Metadata, 9, 5, {}).toBuffer();
    expect(frame.subarray(4, 9).toString('hex')).toBe('00000005' + '00');
    expect(peekCorrelationId(unframe(frame))).toBe(5);
  });

  it('keeps the correlation id of a request it cannot decode, so a broker can still answer', () => {
    const frame = encodeRequestFrame(KafkaApis.ApiVersions, { apiKey: 18, apiVersion: 4, correlationId: 42, clientId: 'c' }, {}).toBuffer();
    const body = Buffer.from(unframe(frame));
    body.writeInt16BE(99, 2); // ApiVersions v99
    try {
      decodeRequestHeader(body);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnsupportedRequestError);
      expect((err as UnsupportedRequestError).header).toMatchObject({ apiKey: 18, apiVersion: 99, correlationId: 42, clientId: 'c' });
    }
    body.writeInt16BE(1000, 0);
    expect(() => decodeRequestHeader(body)).toThrow(/unknown API key 1000/);
  });

  it('emits large record batches as separate chunks (zero copy)', () => {
    const records = Buffer.alloc(64 * 1024, 1);
    const w = encodeRequestFrame(
      KafkaApis.Produce,
      { apiKey: 0, apiVersion: 9, correlationId: 3, clientId: 'p' },
      { acks: -1, timeoutMs: 30_000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] },
    );
    const chunks = w.toChunks();
    expect(chunks).toContain(records);
    const { body } = decodeRequestFrameAs(KafkaApis.Produce, unframe(w.toBuffer()));
    expect(body.acks).toBe(-1);
    expect(body.topicData[0]!.partitionData[0]!.records!.equals(records)).toBe(true);
    expect(() => decodeRequestFrameAs(KafkaApis.Fetch, unframe(w.toBuffer()))).toThrow(/expected a Fetch request, got Produce/);
  });
});
