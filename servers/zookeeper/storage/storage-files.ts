import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the server keeps its files: `<dataLogDir>/version-2/log.<zxid>` and
 * `<dataDir>/version-2/snapshot.<zxid>`, named like Apache's (the zxid in lower-case hex is
 * the first txn of a log, the last txn a snapshot is known to contain at its start). The
 * contents are our own format (docs/server-zookeeper.md), not Apache's.
 */
export const VERSION_DIR = 'version-2';
export const LOG_PREFIX = 'log.';
export const SNAPSHOT_PREFIX = 'snapshot.';

/** "KZTL" and "KZSN": our files say whose they are, so Apache's are never mistaken for ours. */
export const LOG_MAGIC = 0x4b5a544c;
export const SNAPSHOT_MAGIC = 0x4b5a534e;
export const FORMAT_VERSION = 1;

export interface StorageFile {
  path: string;
  zxid: number;
}

export function versionDir(dir: string): string {
  const d = path.join(dir, VERSION_DIR);
  mkdirSync(d, { recursive: true });
  return d;
}

export function fileName(prefix: string, zxid: number): string {
  return `${prefix}${zxid.toString(16)}`;
}

/** Files with `prefix` in `dir`, oldest zxid first (temporaries and foreign names skipped). */
export function listFiles(dir: string, prefix: string): StorageFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: StorageFile[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const hex = name.slice(prefix.length);
    if (!/^[0-9a-f]+$/i.test(hex)) continue;
    out.push({ path: path.join(dir, name), zxid: Number.parseInt(hex, 16) });
  }
  return out.sort((a, b) => a.zxid - b.zxid);
}
