/**
 * The topics of a consumer's subscription (Apache `ConsumerProtocolSubscription`, the
 * metadata of protocol type "consumer"): int16 version, then an int32-counted array of
 * int16-length topic names; later fields (user data, owned partitions, generation, rack)
 * are not needed. Undefined when the bytes do not parse, as Apache then stops tracking
 * subscriptions for the group.
 */
export function subscribedTopicsOf(metadata: Buffer): string[] | undefined {
  try {
    if (metadata.length < 6) return undefined;
    let p = 2;
    const count = metadata.readInt32BE(p);
    p += 4;
    if (count < 0 || count > metadata.length) return undefined;
    const topics: string[] = [];
    for (let i = 0; i < count; i++) {
      const len = metadata.readInt16BE(p);
      p += 2;
      if (len < 0 || p + len > metadata.length) return undefined;
      topics.push(metadata.toString('utf8', p, p + len));
      p += len;
    }
    return topics;
  } catch {
    return undefined;
  }
}
