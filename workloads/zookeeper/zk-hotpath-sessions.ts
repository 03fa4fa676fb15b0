import { ErrorCode } from '../../protocols/zookeeper/index.js';
import {
  ZooKeeperClientPool,
  connectNodeZookeeperClient,
  zooKeeperClientTarget,
  type OperationTarget,
} from '../clients/zookeeper/index.js';

/** The client libraries the hot path can be driven with. */
export const zkHotpathClients = ['kzbench', 'node-zookeeper-client'] as const;
export type ZkHotpathClient = (typeof zkHotpathClients)[number];

/** Sessions of one client library, one connection each. */
export interface ZkSessions {
  sessions: OperationTarget[];
  close(): Promise<void>;
}

/**
 * Opens `count` sessions to `connectString` with the chosen library. Each session is one TCP
 * connection; the workload spreads its worker slots over them.
 */
export async function openZkSessions(client: ZkHotpathClient, connectString: string, count: number): Promise<ZkSessions> {
  if (client === 'kzbench') {
    const pool = await ZooKeeperClientPool.connect({ hosts: connectString, size: count, sessionTimeout: 30_000 });
    return { sessions: pool.clients.map((c) => zooKeeperClientTarget(c)), close: () => pool.close() };
  }
  const settled = await Promise.allSettled(Array.from({ length: count }, () => connectNodeZookeeperClient(connectString)));
  const opened = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const closeAll = async () => {
    await Promise.all(opened.map((s) => s.close()));
  };
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  return { sessions: opened, close: closeAll };
}

// Errors after which the request may or may not have been applied: the connection went away
// (or the session did) before the reply arrived.
const indeterminate = new Set<number>([ErrorCode.CONNECTIONLOSS, ErrorCode.OPERATIONTIMEOUT, ErrorCode.SESSIONEXPIRED, ErrorCode.SESSIONMOVED]);

/**
 * The KeeperException code of an error from either library (kzbench's `errorCode`,
 * node-zookeeper-client's numeric `code`), or undefined for anything else.
 */
export function keeperErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { errorCode, code } = err as { errorCode?: unknown; code?: unknown };
  if (typeof errorCode === 'number') return errorCode;
  if (typeof code === 'number') return code;
  return undefined;
}

/**
 * History semantics of a failed request: `fail` when ZooKeeper answered with an error (the
 * request definitely did not apply), `info` when the outcome is unknown.
 */
export function zkFailureType(err: unknown): 'fail' | 'info' {
  const code = keeperErrorCode(err);
  return code === undefined || indeterminate.has(code) ? 'info' : 'fail';
}
