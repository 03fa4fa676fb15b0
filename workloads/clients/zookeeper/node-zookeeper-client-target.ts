import { createRequire } from 'node:module';
import type { OperationTarget } from './operation-target.js';

const require = createRequire(import.meta.url);

/** The part of node-zookeeper-client 1.x (untyped CommonJS) this adapter uses. */
interface NodeZooKeeperClient {
  connect(): void;
  close(): void;
  once(event: 'connected' | 'disconnected', listener: () => void): void;
  create(path: string, data: Buffer, cb: (err: Error | null, path?: string) => void): void;
  setData(path: string, data: Buffer, version: number, cb: (err: Error | null) => void): void;
  getData(path: string, cb: (err: Error | null, data?: Buffer) => void): void;
  remove(path: string, version: number, cb: (err: Error | null) => void): void;
  getChildren(path: string, cb: (err: Error | null, children?: string[]) => void): void;
}

function settle<T>(resolve: (v: T) => void, reject: (e: Error) => void) {
  return (err: Error | null, value?: T) => (err ? reject(err) : resolve(value as T));
}

/**
 * node-zookeeper-client (npm), the reference point for kzbench's client in benchmarks:
 * connects one session and exposes it as an OperationTarget.
 */
export async function connectNodeZookeeperClient(
  connectString: string,
  options: { sessionTimeout?: number } = {},
): Promise<OperationTarget & { close(): Promise<void> }> {
  const zookeeper = require('node-zookeeper-client') as {
    createClient(connectString: string, options: object): NodeZooKeeperClient;
  };
  const client = zookeeper.createClient(connectString, { sessionTimeout: options.sessionTimeout ?? 30_000, retries: 0 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node-zookeeper-client could not connect to ${connectString}`)), 30_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  return {
    name: 'node-zookeeper-client',
    create: (path, data) => new Promise((res, rej) => client.create(path, data, settle(res, rej))),
    setData: (path, data) => new Promise((res, rej) => client.setData(path, data, -1, settle(res, rej))),
    getData: (path) => new Promise((res, rej) => client.getData(path, settle(res, rej))),
    delete: (path) => new Promise((res, rej) => client.remove(path, -1, settle(res, rej))),
    getChildren: (path) => new Promise<string[]>((res, rej) => client.getChildren(path, settle(res, rej))),
    close: () =>
      new Promise<void>((resolve) => {
        client.once('disconnected', () => resolve());
        client.close();
      }),
  };
}
