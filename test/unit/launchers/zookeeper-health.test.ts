import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ensembleHealthy, fourLetterWord, parseSrvrMode, zookeeperMode } from '../../../workloads/launchers/zookeeper-health.js';

const srvrReply = (mode: string) =>
  `Zookeeper version: 3.9.5-abc, built on 2025-01-01 00:00 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 1\nSent: 0\nConnections: 1\nOutstanding: 0\nZxid: 0x100000000\nMode: ${mode}\nNode count: 5\n`;

describe('srvr parsing', () => {
  it('reads the Mode line', () => {
    expect(parseSrvrMode(srvrReply('leader'))).toBe('leader');
    expect(parseSrvrMode(srvrReply('standalone'))).toBe('standalone');
    expect(parseSrvrMode('This ZooKeeper instance is not currently serving requests\n')).toBeNull();
  });

  it('an ensemble is healthy with exactly one leader and only followers besides', () => {
    expect(ensembleHealthy(['standalone'])).toBe(true);
    expect(ensembleHealthy([null])).toBe(false);
    expect(ensembleHealthy(['leader', 'follower', 'follower'])).toBe(true);
    expect(ensembleHealthy(['follower', 'follower', 'follower'])).toBe(false);
    expect(ensembleHealthy(['leader', 'follower', null])).toBe(false);
    expect(ensembleHealthy(['leader', 'leader', 'follower'])).toBe(false);
  });
});

describe('four-letter words over a real socket', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  function listen(onWord: (word: string, reply: (text: string) => void) => void): Promise<number> {
    // allowHalfOpen: the client half-closes after the word; a silent server must not answer that FIN.
    server = createServer({ allowHalfOpen: true }, (socket) => {
      socket.setEncoding('utf8');
      socket.once('data', (word: string) => onWord(word, (text) => socket.end(text)));
    });
    return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
  }

  it('sends the word and reads the reply up to the close', async () => {
    const port = await listen((word, reply) => reply(word === 'srvr' ? srvrReply('follower') : 'unknown'));
    expect(await fourLetterWord('127.0.0.1', port, 'srvr')).toContain('Mode: follower');
    expect(await zookeeperMode('127.0.0.1', port)).toBe('follower');
  });

  it('a silent server (a paused JVM) times out; nothing listening gives null', async () => {
    const port = await listen(() => {});
    await expect(fourLetterWord('127.0.0.1', port, 'srvr', 300)).rejects.toThrow(/no reply/);
    server!.close();
    server = undefined;
    expect(await zookeeperMode('127.0.0.1', port)).toBeNull();
  });
});
