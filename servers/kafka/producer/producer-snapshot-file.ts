import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../protocols/kafka/records/crc32c.js';
import { ProducerStateEntry } from './producer-state-entry.js';
import { NO_SEQUENCE } from './sequence-numbers.js';

/**
 * Apache's producer state snapshot (`<20-digit offset>.snapshot`, ProducerStateManager):
 * version int16 (1), crc uint32 (CRC-32C of what follows), then an int32-counted array of
 * entries: producerId int64, epoch int16, lastSequence int32, lastOffset int64, offsetDelta
 * int32, timestamp int64, coordinatorEpoch int32, currentTxnFirstOffset int64 (-1 = none).
 * Only each producer's last batch is kept, as in Apache.
 */
const VERSION = 1;
const CRC_OFFSET = 2;
const ENTRIES_OFFSET = 6;
const ENTRY_BYTES = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;
export const SNAPSHOT_SUFFIX = '.snapshot';

export function snapshotPath(dir: string, offset: number): string {
  return join(dir, String(offset).padStart(20, '0') + SNAPSHOT_SUFFIX);
}

export function parseSnapshotFileName(name: string): number | undefined {
  const m = /^(\d{20})\.snapshot$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function encodeProducerSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const list = [...entries];
  const buf = Buffer.alloc(ENTRIES_OFFSET + 4 + list.length * ENTRY_BYTES);
  buf.writeInt16BE(VERSION, 0);
  let p = ENTRIES_OFFSET;
  buf.writeInt32BE(list.length, p);
  p += 4;
  for (const e of list) {
    buf.writeBigInt64BE(BigInt(e.producerId), p);
    buf.writeInt16BE(e.producerEpoch, p + 8);
    buf.writeInt32BE(e.lastSeq, p + 10);
    buf.writeBigInt64BE(BigInt(e.lastDataOffset), p + 14);
    buf.writeInt32BE(e.lastOffsetDelta, p + 22);
    buf.writeBigInt64BE(BigInt(e.lastTimestamp), p + 26);
    buf.writeInt32BE(e.coordinatorEpoch, p + 34);
    buf.writeBigInt64BE(BigInt(e.currentTxnFirstOffset ?? -1), p + 38);
    p += ENTRY_BYTES;
  }
  buf.writeUInt32BE(crc32c(buf.subarray(ENTRIES_OFFSET)), CRC_OFFSET);
  return buf;
}

export class CorruptSnapshotError extends Error {}

export function decodeProducerSnapshot(buf: Buffer): ProducerStateEntry[] {
  if (buf.length < ENTRIES_OFFSET + 4) throw new CorruptSnapshotError(`snapshot of ${buf.length} bytes is truncated`);
  const version = buf.readInt16BE(0);
  if (version !== VERSION) throw new CorruptSnapshotError(`snapshot version ${version} is not ${VERSION}`);
  if (buf.readUInt32BE(CRC_OFFSET) !== crc32c(buf.subarray(ENTRIES_OFFSET))) throw new CorruptSnapshotError('snapshot CRC mismatch');
  const count = buf.readInt32BE(ENTRIES_OFFSET);
  if (count < 0 || ENTRIES_OFFSET + 4 + count * ENTRY_BYTES !== buf.length) throw new CorruptSnapshotError(`snapshot claims ${count} entries in ${buf.length} bytes`);
  const out: ProducerStateEntry[] = [];
  let p = ENTRIES_OFFSET + 4;
  for (let i = 0; i < count; i++, p += ENTRY_BYTES) {
    const e = new ProducerStateEntry(Number(buf.readBigInt64BE(p)));
    const epoch = buf.readInt16BE(p + 8);
    const lastSeq = buf.readInt32BE(p + 10);
    const lastOffset = Number(buf.readBigInt64BE(p + 14));
    const offsetDelta = buf.readInt32BE(p + 22);
    const timestamp = Number(buf.readBigInt64BE(p + 26));
    e.producerEpoch = epoch;
    if (lastOffset >= 0) e.addBatch(epoch, lastSeq === NO_SEQUENCE ? NO_SEQUENCE : lastSeq, lastOffset, offsetDelta, timestamp);
    e.lastTimestamp = timestamp;
    e.coordinatorEpoch = buf.readInt32BE(p + 34);
    const txnFirst = Number(buf.readBigInt64BE(p + 38));
    e.currentTxnFirstOffset = txnFirst >= 0 ? txnFirst : undefined;
    out.push(e);
  }
  return out;
}

/** Written to a temp file, fsynced and renamed: a crash leaves the old set of snapshots or the new one. */
export function writeProducerSnapshot(path: string, entries: Iterable<ProducerStateEntry>): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, encodeProducerSnapshot(entries));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function readProducerSnapshot(path: string): ProducerStateEntry[] {
  return decodeProducerSnapshot(readFileSync(path));
}
