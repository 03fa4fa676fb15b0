import { describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { KafkaCodecError } from '../../../../protocols/kafka/codec-error.js';
import { compileCodec, decodeMessage, encodeMessage, ZERO_UUID } from '../../../../protocols/kafka/schema/compile-codec.js';
import { defineMessage } from '../../../../protocols/kafka/schema/message-schema.js';
import { ByteReader } from '../../../../protocols/kafka/byte-reader.js';

const Probe = defineMessage({
  name: 'ProbeMessage',
  type: 'request',
  validVersions: '0-3',
  flexibleVersions: '2+',
  fields: [
    { name: 'id', type: 'int32', versions: '0+' },
    { name: 'label', type: 'string', versions: '0+', nullableVersions: '1+' },
    { name: 'onlyOld', type: 'int16', versions: '0-1' },
    { name: 'since3', type: 'int64', versions: '3+', default: -1n, ignorable: true },
    { name: 'items', type: '[]struct', versions: '0+', nullableVersions: '3+', fields: [{ name: 'n', type: 'int8', versions: '0+' }] },
    { name: 'note', type: 'string', versions: '2+', nullableVersions: '2+', tag: 0, taggedVersions: '2+', default: null },
    { name: 'tagged', type: 'struct', versions: '2+', tag: 5, taggedVersions: '2+', fields: [{ name: 'x', type: 'int32', versions: '2+', default: -1 }] },
  ],
});

describe('schema codec', () => {
  it('encodes a non-flexible version with int16 strings and int32 array counts', () => {
    const bytes = encodeMessage(Probe, 0, { id: 1, label: 'ab', onlyOld: 2, items: [{ n: 3 }] });
    expect(bytes.toString('hex')).toBe('00000001' + '0002' + '6162' + '0002' + '00000001' + '03');
  });

  it('encodes a flexible version with compact strings, compact arrays and an empty tag buffer', () => {
    const bytes = encodeMessage(Probe, 2, { id: 1, label: 'ab', items: [{ n: 3 }] });
    // label: uvarint(2+1); items: uvarint(1+1), element n, element tag count 0; message tag count 0.
    expect(bytes.toString('hex')).toBe('00000001' + '03' + '6162' + '02' + '03' + '00' + '00');
  });

  it('writes tagged fields only when they differ from their default, in tag order', () => {
    const none = encodeMessage(Probe, 2, { id: 0, label: '', items: [], note: null, tagged: { x: -1 } });
    expect(none.at(-1)).toBe(0);
    const both = encodeMessage(Probe, 2, { id: 0, label: '', items: [], note: 'hi', tagged: { x: 7 } });
    const decoded = decodeMessage(Probe, 2, both);
    expect(decoded.note).toBe('hi');
    expect(decoded.tagged).toEqual({ x: 7 });
    // count 2; tag 0, size 3, compact "hi"; tag 5, size 5, int32 7 + empty tag buffer.
    expect(both.subarray(both.length - 13).toString('hex')).toBe('02' + '00' + '03' + '036869' + '05' + '05' + '00000007' + '00');
  });

  it('keeps unknown tagged fields and re-encodes them in order', () => {
    const bytes = Buffer.from('00000001' + '01' + '01' + '02' + '03' + '02' + 'aabb' + '05' + '05' + '00000009' + '00', 'hex');
    const decoded = decodeMessage(Probe, 2, bytes);
    expect(decoded.unknownTaggedFields).toEqual([{ tag: 3, data: Buffer.from('aabb', 'hex') }]);
    expect(decoded.tagged.x).toBe(9);
    expect(encodeMessage(Probe, 2, decoded).equals(bytes)).toBe(true);
  });

  it('fills fields absent from a version with their defaults when decoding', () => {
    const decoded = decodeMessage(Probe, 0, encodeMessage(Probe, 0, { id: 5, label: 'x', onlyOld: 1, items: [] }));
    expect(decoded.since3).toBe(-1n);
    expect(decoded.note).toBeNull();
    expect(decoded.tagged).toEqual({ x: -1 });
  });

  it('refuses a non-default value for a non-ignorable field the version lacks, and drops an ignorable one', () => {
    expect(() => encodeMessage(Probe, 2, { id: 1, label: 'x', onlyOld: 9, items: [] })).toThrow(/onlyOld.*version 2/);
    expect(() => encodeMessage(Probe, 2, { id: 1, label: 'x', onlyOld: 0, items: [] })).not.toThrow();
    expect(() => encodeMessage(Probe, 0, { id: 1, label: 'x', since3: 99n, items: [] })).not.toThrow();
  });

  it('enforces nullability per version', () => {
    expect(() => encodeMessage(Probe, 0, { id: 1, label: null, items: [] })).toThrow(KafkaCodecError);
    expect(decodeMessage(Probe, 1, encodeMessage(Probe, 1, { id: 1, label: null, items: [] })).label).toBeNull();
    expect(() => encodeMessage(Probe, 2, { id: 1, label: 'x', items: null })).toThrow(/items is null/);
    expect(decodeMessage(Probe, 3, encodeMessage(Probe, 3, { id: 1, label: 'x', items: null })).items).toBeNull();
  });

  it('round-trips long and non-ASCII compact strings', () => {
    for (const label of ['é'.repeat(42), 'x'.repeat(43), '日本語'.repeat(100), '']) {
      expect(decodeMessage(Probe, 2, encodeMessage(Probe, 2, { id: 1, label, items: [] })).label).toBe(label);
    }
  });

  it('reports truncated input, lying array counts and trailing bytes as KafkaCodecError', () => {
    const good = encodeMessage(Probe, 0, { id: 1, label: 'ab', items: [{ n: 1 }] });
    expect(() => decodeMessage(Probe, 0, good.subarray(0, 7))).toThrow(/truncated/);
    const lying = Buffer.from('00000001' + '0000' + '0000' + '7fffffff', 'hex');
    expect(() => decodeMessage(Probe, 0, lying)).toThrow(/cannot fit/);
    expect(() => decodeMessage(Probe, 0, Buffer.concat([good, Buffer.from([0])]))).toThrow(/trailing/);
    expect(() => decodeMessage(Probe, 0, Buffer.from('00000001ffff', 'hex'))).toThrow(KafkaCodecError);
  });

  it('rejects versions outside validVersions and bad UUIDs', () => {
    expect(() => compileCodec(Probe, 4)).toThrow(/no version 4/);
    const Meta = KafkaApis.Metadata.response;
    expect(() => encodeMessage(Meta, 10, { topics: [{ name: 't', topicId: 'nope', partitions: [] }] })).toThrow(/invalid UUID/);
    const decoded = decodeMessage(Meta, 10, encodeMessage(Meta, 10, { topics: [{ name: 't', partitions: [] }] }));
    expect(decoded.topics[0]!.topicId).toBe(ZERO_UUID);
  });

  it('decodes bytes and records as views into the input (no copy)', () => {
    const Produce = KafkaApis.Produce.request;
    const records = Buffer.from('0123456789');
    const bytes = encodeMessage(Produce, 3, { acks: 1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] });
    const r = new ByteReader(bytes);
    const decoded = decodeMessage(Produce, 3, bytes);
    const got = decoded.topicData[0]!.partitionData[0]!.records!;
    expect(got.equals(records)).toBe(true);
    expect(got.buffer).toBe(bytes.buffer);
    expect(r.remaining).toBe(bytes.length);
  });
});
