import { ErrorCode } from '../../protocols/zookeeper/index.js';
import { isZooKeeperError, type ZooKeeperClient } from '../clients/zookeeper/index.js';

/** Creates `path` and its missing parents (persistent, empty), like `mkdir -p`. */
export async function ensurePath(client: ZooKeeperClient, path: string): Promise<void> {
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`;
    try {
      await client.create(at, Buffer.alloc(0));
    } catch (err) {
      if (!isZooKeeperError(err, ErrorCode.NODEEXISTS)) throw err;
    }
  }
}

/** Deletes `path` and everything under it (depth first); a node already gone is fine. */
export async function removeTree(client: ZooKeeperClient, path: string): Promise<void> {
  let children: string[];
  try {
    children = await client.getChildren(path);
  } catch (err) {
    if (isZooKeeperError(err, ErrorCode.NONODE)) return;
    throw err;
  }
  for (const child of children) await removeTree(client, `${path}/${child}`);
  try {
    await client.delete(path);
  } catch (err) {
    if (!isZooKeeperError(err, ErrorCode.NONODE)) throw err;
  }
}
