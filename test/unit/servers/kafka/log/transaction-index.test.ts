import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AbortedTxn, TransactionIndex, encodeAbortedTxn } from '../../../../../servers/kafka/log/transaction-index.js';
import { tempDir } from './log-fixtures.js';

describe('.txnindex (aborted transactions of a segment)', () => {
  let t: ReturnType<typeof tempDir>;
  afterEach(() => t?.cleanup());

  it("stores Apache's 34-byte entries and finds those overlapping a fetch", () => {
    t = tempDir();
    const path = join(t.dir, '00000000000000000000.txnindex');
    const idx = new TransactionIndex(path);
    idx.append({ producerId: 1, firstOffset: 0, lastOffset: 6, lastStableOffset: 3 });
    idx.append({ producerId: 2, firstOffset: 3, lastOffset: 9, lastStableOffset: 10 });
    idx.append({ producerId: 1, firstOffset: 0, lastOffset: 6, lastStableOffset: 3 }); // replayed: ignored
    idx.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(68);
    expect(bytes.subarray(0, 34)).toEqual(encodeAbortedTxn({ producerId: 1, firstOffset: 0, lastOffset: 6, lastStableOffset: 3 }));
    expect(bytes.readInt16BE(0)).toBe(0);
    expect(bytes.readBigInt64BE(2)).toBe(1n);

    appendFileSync(path, Buffer.alloc(10, 7)); // a torn tail
    const again = new TransactionIndex(path);
    expect(again.entries).toHaveLength(2);
    const found: AbortedTxn[] = [];
    expect(again.collect(7, 12, found)).toBe(false); // no entry's LSO reaches 12: later segments may overlap too
    expect(again.collect(7, 10, [])).toBe(true);
    expect(found).toEqual([{ producerId: 2, firstOffset: 3, lastOffset: 9, lastStableOffset: 10 }]);
    const none: AbortedTxn[] = [];
    expect(again.collect(0, 3, none)).toBe(true);
    expect(none).toEqual([expect.objectContaining({ producerId: 1 })]);
    again.truncateTo(9);
    expect(again.entries).toHaveLength(1);
    again.close();
  });
});
