import { describe, expect, it } from 'vitest';
import { coordinatorPartitionFor, javaStringHashCode } from '../../../../../servers/kafka/coordinator/coordinator-partition.js';

// Values printed by Java 17 (String.hashCode, Kafka 3.9's Utils.abs(hash) % 50).
const javaFacts: Array<[string, number, number]> = [
  ['', 0, 0],
  ['my-group', -1906497762, 12],
  ['console-consumer-12345', 158455506, 6],
  ['tx-1', 3572520, 20],
  ['ünïcödé-grüppe', -836765396, 46],
  ['\u{1F600}emoji', -1233692477, 27],
  ['polygenelubricants', -2147483648, 0], // Integer.MIN_VALUE: Utils.abs gives 0
];

describe('coordinator partition of a group or transactional id', () => {
  it.each(javaFacts)('%j hashes and maps like Apache', (key, hash, partition) => {
    expect(javaStringHashCode(key)).toBe(hash);
    expect(coordinatorPartitionFor(key, 50)).toBe(partition);
  });
});
