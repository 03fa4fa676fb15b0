import type { Acl } from '../tree/acl.js';
import type { DataTree } from '../tree/data-tree.js';
import { parentOf } from '../tree/path-validation.js';
import { TxnType, type Txn } from '../tree/txn.js';

/** What request preparation needs to know about a znode (a DataNode satisfies it). */
export interface NodeView {
  readonly acl: readonly Acl[];
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
  readonly numChildren: number;
  readonly dataLength: number;
}

export interface TreeView {
  get(path: string): NodeView | undefined;
}

export function treeView(tree: DataTree): TreeView {
  return { get: (path) => tree.getNode(path) };
}

interface OverlayNode {
  acl: readonly Acl[];
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  numChildren: number;
  dataLength: number;
}

/**
 * The tree as a multi sees it halfway through: the effects of its earlier ops on top of the
 * real tree, without touching it (the role Apache's outstanding ChangeRecords play). Only
 * when every op succeeded is the whole multi applied to the DataTree.
 */
export class MultiOverlay implements TreeView {
  private readonly changes = new Map<string, OverlayNode | null>();

  constructor(private readonly base: TreeView) {}

  get(path: string): NodeView | undefined {
    if (this.changes.has(path)) return this.changes.get(path) ?? undefined;
    return this.base.get(path);
  }

  private editable(path: string): OverlayNode | undefined {
    const changed = this.changes.get(path);
    if (changed !== undefined) return changed ?? undefined;
    const base = this.base.get(path);
    if (base === undefined) return undefined;
    const copy: OverlayNode = {
      acl: base.acl,
      version: base.version,
      cversion: base.cversion,
      aversion: base.aversion,
      ephemeralOwner: base.ephemeralOwner,
      numChildren: base.numChildren,
      dataLength: base.dataLength,
    };
    this.changes.set(path, copy);
    return copy;
  }

  /** Records the effect of one prepared sub-txn. */
  apply(txn: Txn): void {
    switch (txn.type) {
      case TxnType.create:
      case TxnType.create2:
      case TxnType.createContainer:
      case TxnType.createTTL: {
        const parent = this.editable(parentOf(txn.path));
        if (parent !== undefined) {
          parent.numChildren++;
          parent.cversion = txn.parentCVersion;
        }
        this.changes.set(txn.path, {
          acl: txn.acl,
          version: 0,
          cversion: 0,
          aversion: 0,
          ephemeralOwner: txn.ephemeralOwner,
          numChildren: 0,
          dataLength: txn.data === null ? 0 : txn.data.length,
        });
        break;
      }
      case TxnType.delete:
      case TxnType.deleteContainer: {
        const parent = this.editable(parentOf(txn.path));
        if (parent !== undefined) parent.numChildren--;
        this.changes.set(txn.path, null);
        break;
      }
      case TxnType.setData: {
        const node = this.editable(txn.path);
        if (node !== undefined) {
          node.version = txn.version;
          node.dataLength = txn.data === null ? 0 : txn.data.length;
        }
        break;
      }
      default:
        break;
    }
  }
}
