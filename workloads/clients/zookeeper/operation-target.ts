import { ZooKeeperClient } from './zookeeper-client.js';
import type { ZooKeeperClientPool } from './zookeeper-client-pool.js';

/**
 * The few calls the hot-path driver needs, so the same driver can time kzbench's client and
 * other clients (node-zookeeper-client, see node-zookeeper-client-target.ts) side by side.
 */
export interface OperationTarget {
  readonly name: string;
  create(path: string, data: Buffer): Promise<unknown>;
  setData(path: string, data: Buffer): Promise<unknown>;
  getData(path: string): Promise<unknown>;
  delete(path: string): Promise<unknown>;
  getChildren(path: string): Promise<string[]>;
}

/** kzbench's client (one session) or pool (requests spread over sessions). */
export function zooKeeperClientTarget(client: ZooKeeperClient | ZooKeeperClientPool, name = 'kzbench'): OperationTarget {
  const pick = client instanceof ZooKeeperClient ? () => client : () => client.pick();
  return {
    name,
    create: (path, data) => pick().create(path, data),
    setData: (path, data) => pick().setData(path, data),
    getData: (path) => pick().getData(path),
    delete: (path) => pick().delete(path),
    getChildren: (path) => pick().getChildren(path),
  };
}
