import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  EventType,
  JuteWriter,
  OpCode,
  SpecialXid,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeReplyHeader,
  decodeRequest,
  decodeResponseBody,
  decodeWatcherEvent,
  opCodeName,
  writeConnectRequest,
  writeConnectResponse,
  writeNotification,
  writeReply,
  writeRequest,
  type ConnectRequest,
  type MultiResponse,
  type ReplyHeader,
  type RequestType,
  type WatcherEvent,
  type ZkRequest,
} from '../../../../protocols/zookeeper/index.js';

/**
 * Frames captured from real Apache ZooKeeper servers talking to real clients (see
 * test/fixtures/zookeeper/README.md). Every frame must decode completely, and re-encoding the
 * decoded value must give back the exact bytes: the client's requests (what our client
 * sends) and the server's replies (what our server sends).
 */
const fixturesRoot = fileURLToPath(new URL('../../../fixtures/zookeeper/', import.meta.url));

interface FixtureFile {
  server: string;
  client: string;
  connections: { frames: { from: 'client' | 'server'; hex: string }[] }[];
}

type Decoded =
  | { kind: 'connectRequest'; value: ConnectRequest; bytes: Buffer }
  | { kind: 'connectResponse'; bytes: Buffer }
  | { kind: 'request'; value: ZkRequest; bytes: Buffer }
  | { kind: 'reply'; type: RequestType; header: ReplyHeader; body: unknown; bytes: Buffer }
  | { kind: 'notification'; header: ReplyHeader; event: WatcherEvent; bytes: Buffer };

function payload(write: (w: JuteWriter) => void): Buffer {
  const w = new JuteWriter();
  write(w);
  return w.take().subarray(4);
}

/** Decodes one captured connection, checking on the way that every frame re-encodes byte for byte. */
function decodeConnection(frames: FixtureFile['connections'][number]['frames']): Decoded[] {
  const out: Decoded[] = [];
  const pending = new Map<number, RequestType>([
    [SpecialXid.ping, OpCode.ping],
    [SpecialXid.auth, OpCode.auth],
  ]);
  let connect: ConnectRequest | undefined;
  let sawConnectResponse = false;
  for (const frame of frames) {
    const bytes = Buffer.from(frame.hex, 'hex');
    if (frame.from === 'client' && connect === undefined) {
      connect = decodeConnectRequest(bytes);
      expect(payload((w) => writeConnectRequest(w, connect!))).toEqual(bytes);
      out.push({ kind: 'connectRequest', value: connect, bytes });
    } else if (frame.from === 'server' && !sawConnectResponse) {
      sawConnectResponse = true;
      const response = decodeConnectResponse(bytes);
      expect(payload((w) => writeConnectResponse(w, response, connect!))).toEqual(bytes);
      out.push({ kind: 'connectResponse', bytes });
    } else if (frame.from === 'client') {
      const request = decodeRequest(bytes);
      expect(payload((w) => writeRequest(w, request.xid, request.type, request.body as never))).toEqual(bytes);
      pending.set(request.xid, request.type);
      out.push({ kind: 'request', value: request, bytes });
    } else {
      const { header, reader } = decodeReplyHeader(bytes);
      if (header.xid === SpecialXid.notification) {
        const event = decodeWatcherEvent(reader);
        expect(reader.remaining).toBe(0);
        expect(payload((w) => writeNotification(w, header.zxid, event))).toEqual(bytes);
        out.push({ kind: 'notification', header, event, bytes });
        continue;
      }
      const type = pending.get(header.xid);
      if (type === undefined) throw new Error(`reply xid ${header.xid} matches no request`);
      const body = header.err === 0 ? decodeResponseBody(type, reader) : undefined;
      expect(reader.remaining, `${opCodeName(type)} reply fully consumed`).toBe(0);
      expect(payload((w) => writeReply(w, header, type, body as never))).toEqual(bytes);
      out.push({ kind: 'reply', type, header, body, bytes });
    }
  }
  return out;
}

const fixtureFiles = readdirSync(fixturesRoot)
  .filter((d) => d.startsWith('apache-'))
  .flatMap((d) => readdirSync(join(fixturesRoot, d)).filter((f) => f.endsWith('.json')).map((f) => join(d, f)));

describe('captured Apache ZooKeeper frames', () => {
  it('fixtures exist for Debian 3.8.0 with the Java client and node-zookeeper-client', () => {
    expect(fixtureFiles).toEqual(expect.arrayContaining(['apache-3.8.0/java-client.json', 'apache-3.8.0/node-zookeeper-client.json']));
  });

  for (const file of fixtureFiles) {
    const fixture = JSON.parse(readFileSync(join(fixturesRoot, file), 'utf8')) as FixtureFile;
    const serverVersion = file.slice('apache-'.length, file.indexOf('/'));

    describe(file, () => {
      const isJava = file.endsWith('java-client.json');
      // Decoded inside the first test (its expects check every frame); later tests read the result.
      let connections: Decoded[][] = [];
      let all: Decoded[] = [];
      let requests: ZkRequest[] = [];
      let replies: Extract<Decoded, { kind: 'reply' }>[] = [];
      let notifications: Extract<Decoded, { kind: 'notification' }>[] = [];

      it('every frame decodes completely and re-encodes to the captured bytes', () => {
        connections = fixture.connections.map((c) => decodeConnection(c.frames));
        all = connections.flat();
        requests = all.flatMap((d) => (d.kind === 'request' ? [d.value] : []));
        replies = all.flatMap((d) => (d.kind === 'reply' ? [d] : []));
        notifications = all.flatMap((d) => (d.kind === 'notification' ? [d] : []));
        expect(all.length).toBe(fixture.connections.reduce((n, c) => n + c.frames.length, 0));
      });

      it(isJava ? 'the Java client sends the long ConnectRequest and gets the long reply' : 'node-zookeeper-client sends the short ConnectRequest and gets the short reply', () => {
        for (const conn of connections) {
          const [request, response] = conn;
          expect(request!.kind).toBe('connectRequest');
          expect(request!.bytes.length).toBe(isJava ? 45 : 44);
          expect(response!.bytes.length).toBe(isJava ? 37 : 36);
          if (request!.kind === 'connectRequest') expect(request!.value.readOnly).toBe(isJava ? false : undefined);
        }
        // The second connection re-attaches the session of the first, with its password.
        const first = connections[0]![0]!;
        const second = connections[1]![0]!;
        if (first.kind === 'connectRequest' && second.kind === 'connectRequest') {
          expect(first.value.sessionId).toBe(0n);
          expect(second.value.sessionId).not.toBe(0n);
          expect(second.value.lastZxidSeen).toBeGreaterThan(0n);
        }
      });

      it('covers create, getData, setData, getChildren2, exists, delete, multi, ping and closeSession', () => {
        const types = new Set(requests.map((r) => r.type));
        for (const op of [
          OpCode.create, OpCode.getData, OpCode.setData, OpCode.getChildren2, OpCode.exists,
          OpCode.delete, OpCode.multi, OpCode.ping, OpCode.closeSession, OpCode.setWatches,
        ]) {
          expect(types, opCodeName(op)).toContain(op);
        }
        if (isJava) {
          for (const op of [OpCode.create2, OpCode.multiRead, OpCode.auth, OpCode.setWatches2, OpCode.addWatch, OpCode.whoAmI]) {
            expect(types, opCodeName(op)).toContain(op);
          }
        }
      });

      it('error replies are a bare 16-byte ReplyHeader', () => {
        const errors = replies.filter((r) => r.header.err !== 0);
        expect(errors.map((e) => e.header.err)).toEqual(expect.arrayContaining([ErrorCode.NODEEXISTS, ErrorCode.NONODE]));
        for (const e of errors) expect(e.bytes.length).toBe(16);
      });

      it('a failed multi reports 0 before the failing op, its code, then RUNTIMEINCONSISTENCY', () => {
        const multis = replies.filter((r) => r.type === OpCode.multi).map((r) => (r.body as MultiResponse).results);
        expect(multis).toContainEqual([
          { type: OpCode.error, err: ErrorCode.OK },
          { type: OpCode.error, err: ErrorCode.NODEEXISTS },
          { type: OpCode.error, err: ErrorCode.RUNTIMEINCONSISTENCY },
        ]);
        const ok = multis.find((results) => results[0]!.type === OpCode.create);
        expect(ok?.map((r) => r.type)).toEqual([OpCode.create, OpCode.setData, OpCode.check, OpCode.delete]);
      });

      it(`watch notifications carry state SyncConnected and ${serverVersion.startsWith('3.8') ? 'zxid -1 (3.8)' : 'the txn zxid (3.9)'}`, () => {
        expect(notifications.map((n) => n.event.type)).toEqual(expect.arrayContaining([EventType.NodeDataChanged]));
        for (const n of notifications) {
          expect(n.event.state).toBe(3);
          if (serverVersion.startsWith('3.8')) expect(n.header.zxid).toBe(-1n);
          else expect(n.header.zxid).toBeGreaterThan(0n);
        }
      });

      it('pings are answered with xid -2 and the last zxid', () => {
        const pings = replies.filter((r) => r.type === OpCode.ping);
        expect(pings.length).toBeGreaterThan(0);
        for (const p of pings) expect(p.header.xid).toBe(-2);
      });
    });
  }
});
