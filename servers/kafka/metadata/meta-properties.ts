import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomKafkaUuid } from './uuid.js';

/**
 * `meta.properties` in each log dir, as `kafka-storage format` writes it for KRaft, so the
 * directory looks like an Apache one (the reference broker does not require it).
 */
export function writeMetaProperties(dir: string, nodeId: number, clusterId: string): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'meta.properties');
  if (existsSync(path)) return;
  writeFileSync(
    path,
    `#\n#${new Date().toUTCString()}\nnode.id=${nodeId}\ndirectory.id=${randomKafkaUuid()}\nversion=1\ncluster.id=${clusterId}\n`,
  );
}
