import { batchSizeAt } from './record-batch-check.js';
import { type DecodeOptions, type RecordBatch, decodeRecordBatch } from './record-batch.js';

/**
 * A record set (the `records` field of Produce and Fetch, or a stretch of a log segment)
 * is batches back to back. A fetch response may end in a partial batch when the broker
 * cut it at the size limit; like every client, we stop there.
 */
export async function decodeRecordSet(buf: Buffer, opts: DecodeOptions = {}): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  let pos = 0;
  for (;;) {
    const size = batchSizeAt(buf, pos);
    if (size < 0) break;
    batches.push(await decodeRecordBatch(buf, pos, opts));
    pos += size;
  }
  return batches;
}

/** [position, size] of each whole batch in a record set. */
export function recordSetSpans(buf: Buffer, start = 0, end = buf.length): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let pos = start;
  for (;;) {
    const size = batchSizeAt(buf, pos, end);
    if (size < 0) break;
    spans.push([pos, size]);
    pos += size;
  }
  return spans;
}
