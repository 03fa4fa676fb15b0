/** kzbench's fast ZooKeeper client. See docs/client-zookeeper.md. */
export { ZooKeeperClient, type ZooKeeperClientOptions, type ClientState, type StateChange, type CreateOptions, type AuthInfo } from './zookeeper-client.js';
export { ZooKeeperClientPool, type ZooKeeperClientPoolOptions } from './zookeeper-client-pool.js';
export { ZooKeeperError, isZooKeeperError } from './zookeeper-error.js';
export { type WatchEvent, type Watcher, type WatchKind } from './watch-registry.js';
export { parseConnectString, type HostAddress } from './connect-string.js';
export { multiOp } from './multi-op.js';
export { zooKeeperClientTarget, type OperationTarget } from './operation-target.js';
export { connectNodeZookeeperClient } from './node-zookeeper-client-target.js';
export {
  runOperations,
  prepareOperations,
  cleanupOperations,
  type HotPathOperation,
  type RunOperationsOptions,
  type RunOperationsResult,
} from './operation-driver.js';
