/**
 * Partition choice compatible with Apache Kafka's Java producer: keyed records go to
 * `toPositive(murmur2(key)) % partitions` (so the same key lands where a Java, librdkafka
 * "murmur2_random" or kafkajs "JavaCompatible" producer would put it); keyless records stick
 * to one partition until its batch is sealed, then move on (the sticky partitioner, KIP-480),
 * which keeps batches full instead of spreading records thin.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** Sticky choice for keyless records, per topic. */
export class StickyPartitioner {
  private readonly current = new Map<string, number>();
  private counter = 0;

  partition(topic: string, partitions: number): number {
    let p = this.current.get(topic);
    if (p === undefined || p >= partitions) {
      p = this.counter++ % partitions;
      this.current.set(topic, p);
    }
    return p;
  }

  /** The batch of `partition` was sealed: the next keyless record goes elsewhere. */
  batchSealed(topic: string, partition: number, partitions: number): void {
    if (this.current.get(topic) === partition && partitions > 1) this.current.set(topic, (partition + 1) % partitions);
  }
}
