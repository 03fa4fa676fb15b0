import type { Acl } from './acl.js';
import type { Stat } from './stat.js';
import type { ZnodeData } from './znode-data.js';

/**
 * One znode. Stat fields live directly on the node (no nested object) to keep a million
 * znodes small; `children` stays null until the first child is added, as Apache's DataNode.
 */
export class DataNode {
  children: Set<string> | null = null;

  constructor(
    /** null when the client created or set null data (Java's `byte[] null`), which reads back as null. */
    public data: ZnodeData,
    public acl: readonly Acl[],
    public czxid: number,
    public mzxid: number,
    public pzxid: number,
    public ctime: number,
    public mtime: number,
    public version: number,
    public cversion: number,
    public aversion: number,
    public ephemeralOwner: bigint,
  ) {}

  static empty(acl: readonly Acl[]): DataNode {
    return new DataNode('', acl, 0, 0, 0, 0, 0, 0, 0, 0, 0n);
  }

  get dataLength(): number {
    return this.data === null ? 0 : this.data.length;
  }

  get numChildren(): number {
    return this.children === null ? 0 : this.children.size;
  }

  addChild(name: string): void {
    if (this.children === null) this.children = new Set();
    this.children.add(name);
  }

  removeChild(name: string): void {
    if (this.children !== null) this.children.delete(name);
  }

  /** The Stat a client sees; `clientOwner` is 0 for containers and TTL nodes (Apache's getClientEphemeralOwner). */
  stat(clientOwner: bigint = this.ephemeralOwner): Stat {
    const numChildren = this.numChildren;
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      // Stored cversion counts creates; clients see creates + deletes (Apache's copyStat, "v3 semantics").
      cversion: (this.cversion * 2 - numChildren) | 0,
      aversion: this.aversion,
      ephemeralOwner: clientOwner,
      dataLength: this.dataLength,
      numChildren,
      pzxid: this.pzxid,
    };
  }
}
