/**
 * The byte payloads of the classic "consumer" protocol type, as the Java consumer writes
 * them (Apache `ConsumerProtocolSubscription` / `ConsumerProtocolAssignment`, version 0):
 * JoinGroup carries a subscription as each protocol's metadata, SyncGroup an assignment per
 * member. Brokers treat both as opaque, except that Apache reads a subscription's topics to
 * know which topics a group consumes (OffsetDelete, DescribeGroups).
 */

/** Subscription v0: int16 version, int32-counted int16 strings (topics), nullable bytes user data. */
export function consumerSubscription(topics: readonly string[], userData: Buffer | null = null): Buffer {
  const parts: Buffer[] = [int16(0), int32(topics.length)];
  for (const t of topics) parts.push(shortString(t));
  parts.push(nullableBytes(userData));
  return Buffer.concat(parts);
}

/** Assignment v0: int16 version, int32-counted (topic, int32-counted partitions), nullable bytes user data. */
export function consumerAssignment(topics: ReadonlyArray<{ topic: string; partitions: readonly number[] }>, userData: Buffer | null = null): Buffer {
  const parts: Buffer[] = [int16(0), int32(topics.length)];
  for (const t of topics) {
    parts.push(shortString(t.topic), int32(t.partitions.length));
    for (const p of t.partitions) parts.push(int32(p));
  }
  parts.push(nullableBytes(userData));
  return Buffer.concat(parts);
}

function int16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

function shortString(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
}

function nullableBytes(b: Buffer | null): Buffer {
  return b === null ? int32(-1) : Buffer.concat([int32(b.length), b]);
}
