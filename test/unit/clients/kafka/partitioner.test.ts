import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, StickyPartitioner } from '../../../../workloads/clients/kafka/partitioner.js';

describe('partitioner', () => {
  it('murmur2 matches the Java client (Apache Kafka UtilsTest vectors)', () => {
    const cases: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [input, expected] of cases) expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it('keys map to toPositive(murmur2) % partitions', () => {
    expect(partitionForKey(Buffer.from('foobar'), 7)).toBe((-790332482 & 0x7fffffff) % 7);
  });

  it('keyless records stick to one partition until its batch is sealed', () => {
    const sticky = new StickyPartitioner();
    const first = sticky.partition('t', 3);
    expect(sticky.partition('t', 3)).toBe(first);
    sticky.batchSealed('t', first, 3);
    expect(sticky.partition('t', 3)).toBe((first + 1) % 3);
  });
});
