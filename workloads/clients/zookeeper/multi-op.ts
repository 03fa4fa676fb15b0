import { CreateMode, OPEN_ACL_UNSAFE, OpCode, type ACL, type MultiOp } from '../../../protocols/zookeeper/index.js';

/** Builders for the ops of `multi` / `multiRead`, with the same defaults as the single calls. */
export const multiOp = {
  create(path: string, data: Buffer | null = null, options: { acl?: ACL[]; mode?: number } = {}): MultiOp {
    return { type: OpCode.create, body: { path, data, acl: options.acl ?? OPEN_ACL_UNSAFE, flags: options.mode ?? CreateMode.PERSISTENT } };
  },
  create2(path: string, data: Buffer | null = null, options: { acl?: ACL[]; mode?: number } = {}): MultiOp {
    return { type: OpCode.create2, body: { path, data, acl: options.acl ?? OPEN_ACL_UNSAFE, flags: options.mode ?? CreateMode.PERSISTENT } };
  },
  delete(path: string, version = -1): MultiOp {
    return { type: OpCode.delete, body: { path, version } };
  },
  setData(path: string, data: Buffer | null, version = -1): MultiOp {
    return { type: OpCode.setData, body: { path, data, version } };
  },
  check(path: string, version: number): MultiOp {
    return { type: OpCode.check, body: { path, version } };
  },
  getData(path: string): MultiOp {
    return { type: OpCode.getData, body: { path, watch: false } };
  },
  getChildren(path: string): MultiOp {
    return { type: OpCode.getChildren, body: { path, watch: false } };
  },
};
