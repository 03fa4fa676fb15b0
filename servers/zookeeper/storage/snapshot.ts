import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, write, writeSync, close as closeFd, fsync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { ACL } from '../../../protocols/zookeeper/index.js';
import { DataNode } from '../tree/data-node.js';
import { toZnodeData, znodeDataBytes } from '../tree/znode-data.js';
import type { Acl } from '../tree/acl.js';
import type { DataTree } from '../tree/data-tree.js';
import { SequentialFileReader } from './sequential-file-reader.js';
import { FORMAT_VERSION, SNAPSHOT_MAGIC, SNAPSHOT_PREFIX, fileName, listFiles, type StorageFile } from './storage-files.js';
import {
  JuteReader,
  JuteWriter,
  SnapshotAclRecord,
  SnapshotHeaderRecord,
  SnapshotNodeRecord,
  SnapshotSessionRecord,
  SnapshotTrailerRecord,
} from './txn-records.js';

/**
 * Snapshot layout: SnapshotHeader (magic "KZSN", version, lastZxid at start, wall time), then
 * a stream of length-prefixed entries (int32 length, then an int tag and a record):
 * tag 1 session {id, timeOut}; tag 2 ACL list definition {index, acl[]}; tag 3 node
 * {path, data, aclIndex, StatPersisted fields}; tag 0 end + SnapshotTrailer{nodeCount,
 * sessionCount, complete, endZxid}; finally a uint32 CRC-32 of every byte before it.
 *
 * Snapshots are fuzzy like Apache's: nodes are written a chunk at a time while the server keeps
 * applying txns. Replaying the log from `lastZxid` over it converges, because txns carry
 * outcomes. The file is written as `.tmp` and renamed only after the log is durable past the
 * last txn the snapshot may have seen (`endZxid`), so a snapshot never holds a txn the log lost.
 */
const TAG_END = 0;
const TAG_SESSION = 1;
const TAG_ACL = 2;
const TAG_NODE = 3;
const NODES_PER_CHUNK = 512;
const WRITE_THRESHOLD = 1 << 20;


export interface SnapshotSession {
  id: bigint;
  timeout: number;
}

export interface SnapshotWriteOptions {
  dir: string;
  tree: DataTree;
  sessions: SnapshotSession[];
  /** Resolves once the txn log is durable up to `zxid`. */
  waitDurable: (zxid: number) => Promise<void>;
  now: () => number;
}

export interface SnapshotWriteResult {
  file: string;
  lastZxid: number;
  endZxid: number;
  nodeCount: number;
}

/** Writes a fuzzy snapshot without blocking the event loop for more than one chunk. */
export async function writeSnapshot(opts: SnapshotWriteOptions): Promise<SnapshotWriteResult> {
  const { tree } = opts;
  const lastZxid = tree.lastProcessedZxid;
  const finalPath = path.join(opts.dir, fileName(SNAPSHOT_PREFIX, lastZxid));
  const tmpPath = `${finalPath}.tmp`;
  const fd = openSync(tmpPath, 'w');
  let filePos = 0;
  let crc = 0;
  const w = new JuteWriter(WRITE_THRESHOLD + 64 * 1024);
  const flushOut = async (): Promise<void> => {
    if (w.length === 0) return;
    const chunk = w.take();
    crc = crc32(chunk, crc);
    const at = filePos;
    filePos += chunk.length;
    await new Promise<void>((resolve, reject) => write(fd, chunk, 0, chunk.length, at, (err) => (err ? reject(err) : resolve())));
  };
  const entry = (tag: number, body: () => void): void => {
    const start = w.beginFrame();
    w.int(tag);
    body();
    w.endFrame(start);
  };
  try {
    SnapshotHeaderRecord.encode(w, { magic: SNAPSHOT_MAGIC, version: FORMAT_VERSION, lastZxid: BigInt(lastZxid), time: BigInt(opts.now()) });
    for (const s of opts.sessions) entry(TAG_SESSION, () => SnapshotSessionRecord.encode(w, { id: s.id, timeOut: s.timeout }));
    const aclIndex = new Map<readonly Acl[], number>();
    let nodeCount = 0;
    let inChunk = 0;
    for (const [nodePath, node] of tree.walk()) {
      let index = aclIndex.get(node.acl);
      if (index === undefined) {
        index = aclIndex.size;
        aclIndex.set(node.acl, index);
        const i = index;
        entry(TAG_ACL, () => SnapshotAclRecord.encode(w, { index: i, acl: node.acl as ACL[] }));
      }
      const ai = index;
      entry(TAG_NODE, () => {
        SnapshotNodeRecord.encode(w, {
          path: nodePath,
          data: znodeDataBytes(node.data),
          aclIndex: ai,
          czxid: BigInt(node.czxid),
          mzxid: BigInt(node.mzxid),
          ctime: BigInt(node.ctime),
          mtime: BigInt(node.mtime),
          version: node.version,
          cversion: node.cversion,
          aversion: node.aversion,
          ephemeralOwner: node.ephemeralOwner,
          pzxid: BigInt(node.pzxid),
        });
      });
      nodeCount++;
      if (w.length >= WRITE_THRESHOLD) await flushOut();
      if (++inChunk >= NODES_PER_CHUNK) {
        inChunk = 0;
        // Let requests run: this is what makes the snapshot fuzzy rather than stop-the-world.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    const endZxid = tree.lastProcessedZxid;
    entry(TAG_END, () => {
      SnapshotTrailerRecord.encode(w, { nodeCount, sessionCount: opts.sessions.length, complete: true, endZxid: BigInt(endZxid) });
    });
    await flushOut();
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc >>> 0, 0);
    writeSync(fd, tail, 0, 4, filePos);
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => closeFd(fd, (err) => (err ? reject(err) : resolve())));
    await opts.waitDurable(endZxid);
    renameSync(tmpPath, finalPath);
    fsyncDirectory(opts.dir);
    return { file: finalPath, lastZxid, endZxid, nodeCount };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmpPath);
    } catch {
      // nothing to clean
    }
    throw err;
  }
}

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface LoadedSnapshot {
  lastZxid: number;
  endZxid: number;
  sessions: SnapshotSession[];
  nodeCount: number;
}

/** Reads a snapshot into `tree` (a fresh one); throws when the file is incomplete or corrupt. */
export function readSnapshot(file: string, tree: DataTree, visit?: (path: string, node: DataNode) => void): LoadedSnapshot {
  const reader = new SequentialFileReader(file);
  let crc = 0;
  const take = (n: number, what: string): Buffer => {
    const b = reader.read(n);
    if (b === null) throw new Error(`snapshot ${file} ends inside ${what}`);
    crc = crc32(b, crc);
    return b;
  };
  try {
    const r = new JuteReader();
    const header = SnapshotHeaderRecord.decode(r.reset(take(24, 'its header')));
    if (header.magic !== SNAPSHOT_MAGIC) throw new Error(`${file} is not a kzbench snapshot (bad magic)`);
    if (header.version !== FORMAT_VERSION) throw new Error(`${file} has unsupported snapshot version ${header.version}`);
    const sessions: SnapshotSession[] = [];
    const acls: Acl[][] = [];
    let nodeCount = 0;
    for (;;) {
      const len = take(4, 'an entry length').readInt32BE(0);
      if (len < 4) throw new Error(`snapshot ${file}: bad entry length ${len}`);
      const body = Buffer.from(take(len, 'an entry'));
      r.reset(body);
      const tag = r.int();
      if (tag === TAG_SESSION) {
        const s = SnapshotSessionRecord.decode(r);
        sessions.push({ id: s.id, timeout: s.timeOut });
      } else if (tag === TAG_ACL) {
        const a = SnapshotAclRecord.decode(r);
        acls[a.index] = a.acl;
      } else if (tag === TAG_NODE) {
        const n = SnapshotNodeRecord.decode(r);
        const acl = acls[n.aclIndex];
        if (acl === undefined) throw new Error(`snapshot ${file}: node ${n.path} refers to an undefined ACL`);
        const node = new DataNode(
          toZnodeData(n.data),
          acl,
          Number(n.czxid),
          Number(n.mzxid),
          Number(n.pzxid),
          Number(n.ctime),
          Number(n.mtime),
          n.version,
          n.cversion,
          n.aversion,
          n.ephemeralOwner,
        );
        if (visit) visit(n.path, node);
        else tree.loadNode(n.path, node);
        nodeCount++;
      } else if (tag === TAG_END) {
        const trailer = SnapshotTrailerRecord.decode(r);
        if (!trailer.complete || trailer.nodeCount !== nodeCount || trailer.sessionCount !== sessions.length) {
          throw new Error(`snapshot ${file}: trailer does not match its contents`);
        }
        const expected = crc >>> 0;
        const stored = reader.read(4);
        if (stored === null || stored.readUInt32BE(0) !== expected) throw new Error(`snapshot ${file}: CRC mismatch`);
        tree.lastProcessedZxid = Number(header.lastZxid);
        return { lastZxid: Number(header.lastZxid), endZxid: Number(trailer.endZxid), sessions, nodeCount };
      } else {
        throw new Error(`snapshot ${file}: unknown entry tag ${tag}`);
      }
    }
  } finally {
    reader.close();
  }
}

export function listSnapshots(dir: string): StorageFile[] {
  return listFiles(dir, SNAPSHOT_PREFIX);
}
