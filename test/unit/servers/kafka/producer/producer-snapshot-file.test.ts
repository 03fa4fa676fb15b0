import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../../protocols/kafka/records/crc32c.js';
import { CorruptSnapshotError, decodeProducerSnapshot, encodeProducerSnapshot, parseSnapshotFileName } from '../../../../../servers/kafka/producer/producer-snapshot-file.js';
import { ProducerStateEntry } from '../../../../../servers/kafka/producer/producer-state-entry.js';

function entry(): ProducerStateEntry {
  const e = new ProducerStateEntry(4242);
  e.addBatch(3, 9, 120, 4, 1_700_000_000_000); // sequences 5..9 at offsets 116..120
  e.coordinatorEpoch = 7;
  e.currentTxnFirstOffset = 110;
  return e;
}

describe("producer state snapshots in Apache's format", () => {
  it('lays out version, CRC-32C, count and 46-byte entries', () => {
    const buf = encodeProducerSnapshot([entry()]);
    expect(buf.length).toBe(2 + 4 + 4 + 46);
    expect(buf.readInt16BE(0)).toBe(1);
    expect(buf.readUInt32BE(2)).toBe(crc32c(buf.subarray(6)));
    expect(buf.readInt32BE(6)).toBe(1);
    const p = 10;
    expect(buf.readBigInt64BE(p)).toBe(4242n);
    expect(buf.readInt16BE(p + 8)).toBe(3); // epoch
    expect(buf.readInt32BE(p + 10)).toBe(9); // last sequence
    expect(buf.readBigInt64BE(p + 14)).toBe(120n); // last offset
    expect(buf.readInt32BE(p + 22)).toBe(4); // offset delta
    expect(buf.readBigInt64BE(p + 26)).toBe(1_700_000_000_000n);
    expect(buf.readInt32BE(p + 34)).toBe(7); // coordinator epoch
    expect(buf.readBigInt64BE(p + 38)).toBe(110n); // open transaction's first offset
  });

  it('round trips the last batch of each producer', () => {
    const [e] = decodeProducerSnapshot(encodeProducerSnapshot([entry()]));
    expect(e!.producerId).toBe(4242);
    expect(e!.producerEpoch).toBe(3);
    expect(e!.batches).toEqual([{ firstSeq: 5, lastSeq: 9, firstOffset: 116, lastOffset: 120, timestamp: 1_700_000_000_000 }]);
    expect(e!.coordinatorEpoch).toBe(7);
    expect(e!.currentTxnFirstOffset).toBe(110);
    expect(e!.findDuplicate(3, 5, 9)).toBeDefined();
  });

  it('keeps a producer that only wrote markers (no batch)', () => {
    const e = new ProducerStateEntry(5);
    e.applyMarker(2, 0, 1000);
    const [back] = decodeProducerSnapshot(encodeProducerSnapshot([e]));
    expect(back!.producerEpoch).toBe(2);
    expect(back!.isEmpty).toBe(true);
    expect(back!.currentTxnFirstOffset).toBeUndefined();
  });

  it('refuses damaged snapshots', () => {
    const buf = encodeProducerSnapshot([entry()]);
    const flipped = Buffer.from(buf);
    flipped[20] ^= 1;
    expect(() => decodeProducerSnapshot(flipped)).toThrow(CorruptSnapshotError);
    expect(() => decodeProducerSnapshot(buf.subarray(0, 30))).toThrow(CorruptSnapshotError);
    const badVersion = Buffer.from(buf);
    badVersion.writeInt16BE(9, 0);
    expect(() => decodeProducerSnapshot(badVersion)).toThrow(/version/);
  });

  it('names files by 20-digit offsets', () => {
    expect(parseSnapshotFileName('00000000000000000042.snapshot')).toBe(42);
    expect(parseSnapshotFileName('42.snapshot')).toBeUndefined();
    expect(parseSnapshotFileName('00000000000000000042.log')).toBeUndefined();
  });
});
