import { describe, expect, it } from 'vitest';
import { newKafkaClusterId, serverPropertiesText, type KafkaNodeLayout } from '../../../workloads/launchers/kafka-config.js';
import { myidText, zooCfgText, type ZookeeperNodeLayout } from '../../../workloads/launchers/zookeeper-config.js';

function properties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return map;
}

const zk = (id: number, adminPort?: number): ZookeeperNodeLayout => ({
  id,
  host: '127.0.0.1',
  clientPort: 2000 + id,
  quorumPort: 3000 + id,
  electionPort: 4000 + id,
  ...(adminPort ? { adminPort } : {}),
  dataDir: `/d/node${id}/data`,
});

describe('zoo.cfg', () => {
  it('standalone: no server.N lines, every 4lw allowed, AdminServer off', () => {
    const cfg = properties(zooCfgText(zk(1), [zk(1)]));
    expect(cfg.get('tickTime')).toBe('2000');
    expect(cfg.get('clientPort')).toBe('2001');
    expect(cfg.get('clientPortAddress')).toBe('127.0.0.1');
    expect(cfg.get('dataDir')).toBe('/d/node1/data');
    expect(cfg.get('4lw.commands.whitelist')).toBe('*');
    expect(cfg.get('admin.enableServer')).toBe('false');
    expect([...cfg.keys()].some((k) => k.startsWith('server.'))).toBe(false);
  });

  it('ensemble: every member with its quorum and election ports, initLimit/syncLimit set', () => {
    const all = [zk(1), zk(2), zk(3)];
    const cfg = properties(zooCfgText(all[1]!, all));
    expect(cfg.get('server.1')).toBe('127.0.0.1:3001:4001');
    expect(cfg.get('server.3')).toBe('127.0.0.1:3003:4003');
    expect(cfg.get('initLimit')).toBe('10');
    expect(cfg.get('syncLimit')).toBe('5');
    expect(cfg.get('clientPort')).toBe('2002');
    expect(myidText(all[1]!)).toBe('2\n');
  });

  it('AdminServer on a given port when asked', () => {
    const cfg = properties(zooCfgText(zk(1, 8123), [zk(1, 8123)]));
    expect(cfg.get('admin.enableServer')).toBe('true');
    expect(cfg.get('admin.serverPort')).toBe('8123');
    expect(cfg.get('admin.serverAddress')).toBe('127.0.0.1');
  });
});

const kafka = (id: number): KafkaNodeLayout => ({ id, host: '127.0.0.1', port: 9000 + id, controllerPort: 9100 + id, logDir: `/d/node${id}/data` });

describe('server.properties (KRaft combined mode)', () => {
  it('single node: internal topics with replication factor 1', () => {
    const p = properties(serverPropertiesText(kafka(1), [kafka(1)]));
    expect(p.get('process.roles')).toBe('broker,controller');
    expect(p.get('node.id')).toBe('1');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9101');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9101');
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9001');
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('transaction.state.log.replication.factor')).toBe('1');
    expect(p.get('transaction.state.log.min.isr')).toBe('1');
    expect(p.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(p.get('log.dirs')).toBe('/d/node1/data');
  });

  it('three nodes: one voter set, replication factor 3 and min ISR 2', () => {
    const all = [kafka(1), kafka(2), kafka(3)];
    const p = properties(serverPropertiesText(all[2]!, all));
    expect(p.get('node.id')).toBe('3');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103');
    expect(p.get('offsets.topic.replication.factor')).toBe('3');
    expect(p.get('transaction.state.log.min.isr')).toBe('2');
    expect(p.get('min.insync.replicas')).toBe('2');
  });

  it('cluster ids are 22-character URL-safe base64 UUIDs that never start with a dash', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newKafkaClusterId()));
    expect(ids.size).toBe(200);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });
});
