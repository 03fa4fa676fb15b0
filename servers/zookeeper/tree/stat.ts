/**
 * The Stat record (`org.apache.zookeeper.data.Stat`) a znode reports. Zxids and times are plain
 * numbers (exact up to 2^53, far beyond any zxid a standalone server reaches); ephemeralOwner
 * is a 64-bit session id, so it stays a bigint.
 */
export interface Stat {
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: number;
}

/** Java int arithmetic: versions wrap from 2^31-1 to -2^31 as Apache's do. */
export function nextVersion(version: number): number {
  return (version + 1) | 0;
}
