/**
 * Which partition of an internal topic owns a group id or transactional id: Apache's
 * `Utils.abs(key.hashCode) % partitions`, with Java's String.hashCode over UTF-16 code units,
 * so a key maps to the same `__consumer_offsets` / `__transaction_state` partition as in Apache.
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Apache `Utils.abs`: Integer.MIN_VALUE maps to 0. */
function javaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

export function coordinatorPartitionFor(key: string, partitions: number): number {
  return javaAbs(javaStringHashCode(key)) % partitions;
}
