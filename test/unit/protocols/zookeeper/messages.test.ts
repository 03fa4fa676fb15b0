import { describe, expect, it } from 'vitest';
import {
  ConnectRequest,
  ErrorCode,
  EventType,
  FrameReader,
  JuteReader,
  JuteWriter,
  KeeperState,
  MalformedRequestError,
  OPEN_ACL_UNSAFE,
  OpCode,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeReply,
  decodeReplyHeader,
  decodeRequest,
  decodeWatcherEvent,
  isRequestType,
  opTable,
  writeConnectRequest,
  writeConnectResponse,
  writeHeaderOnlyReply,
  writeNotification,
  writeReply,
  writeRequest,
  type ConnectResponse,
} from '../../../../protocols/zookeeper/index.js';

/** Every frame written to `w`, payloads only, through the real frame reader. */
function framesOf(w: JuteWriter): Buffer[] {
  const frames: Buffer[] = [];
  new FrameReader({ onFrame: (f) => frames.push(f) }).push(w.take());
  return frames;
}

describe('handshake', () => {
  const longForm: ConnectRequest = {
    protocolVersion: 0, lastZxidSeen: 0x100000005n, timeOut: 30000, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: false,
  };
  const { readOnly: _omit, ...shortForm } = longForm;
  const response: ConnectResponse = {
    protocolVersion: 0, timeOut: 30000, sessionId: 0x1000aa8c6a30000n, passwd: Buffer.alloc(16, 7), readOnly: false,
  };

  it('detects the short form by the bytes left after passwd', () => {
    for (const request of [longForm, shortForm]) {
      const w = new JuteWriter();
      writeConnectRequest(w, request);
      const [frame] = framesOf(w);
      expect(decodeConnectRequest(frame!)).toEqual(request);
    }
  });

  it('replies short when asked short, long when asked long', () => {
    const cases: [ConnectRequest, number][] = [[shortForm, 36], [longForm, 37]];
    for (const [asked, expectedLength] of cases) {
      const w = new JuteWriter();
      writeConnectResponse(w, response, asked);
      const [frame] = framesOf(w);
      expect(frame!.length).toBe(expectedLength);
      const decoded = decodeConnectResponse(frame!);
      expect(decoded.readOnly).toBe(asked.readOnly);
      expect(decoded.sessionId).toBe(response.sessionId);
    }
  });
});

describe('requests', () => {
  it('encode and decode by opcode, for every opcode a client sends', () => {
    const w = new JuteWriter();
    const sent = [
      { xid: 1, type: OpCode.create, body: { path: '/a', data: Buffer.from('v'), acl: OPEN_ACL_UNSAFE, flags: 0 } },
      { xid: 2, type: OpCode.getData, body: { path: '/a', watch: true } },
      { xid: -2, type: OpCode.ping, body: undefined },
      { xid: 3, type: OpCode.whoAmI, body: undefined },
      { xid: -8, type: OpCode.setWatches2, body: {
        relativeZxid: 9n, dataWatches: ['/a'], existWatches: [], childWatches: ['/'], persistentWatches: [], persistentRecursiveWatches: ['/r'],
      } },
      { xid: 4, type: OpCode.multi, body: { ops: [{ type: OpCode.check, body: { path: '/a', version: 0 } }] } },
      { xid: 5, type: OpCode.closeSession, body: undefined },
    ] as const;
    for (const req of sent) writeRequest(w, req.xid, req.type, req.body as never);
    const decoded = framesOf(w).map((f) => decodeRequest(f));
    expect(decoded).toEqual(sent);
  });

  it('every opcode in the table has both a request and a response entry', () => {
    for (const code of Object.keys(opTable).map(Number)) {
      expect(isRequestType(code)).toBe(true);
      const entry = opTable[code as keyof typeof opTable];
      expect(entry).toHaveProperty('request');
      expect(entry).toHaveProperty('response');
    }
    expect(isRequestType(OpCode.notification)).toBe(false);
    expect(isRequestType(12345)).toBe(false);
  });

  it('a bad body raises MalformedRequestError carrying the header (server replies MARSHALLINGERROR)', () => {
    const frame = Buffer.from('0000002a' + '00000004' + '00000010' + '2f61', 'hex'); // xid 42 getData, path length 16 but 2 bytes
    try {
      decodeRequest(frame);
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(MalformedRequestError);
      const err = e as MalformedRequestError;
      expect(err.header).toEqual({ xid: 42, type: OpCode.getData });
      expect(err.code).toBe('KZ_ZK_TRUNCATED');
      expect(err.message).toContain('getData');
    }
  });

  it('an unknown opcode raises MalformedRequestError with code KZ_ZK_UNKNOWN_OP', () => {
    const frame = Buffer.from('00000007' + '000003e7', 'hex');
    expect(() => decodeRequest(frame)).toThrow(expect.objectContaining({ code: 'KZ_ZK_UNKNOWN_OP', header: { xid: 7, type: 999 } }));
  });

  it('a frame too short for the header is a plain CodecError', () => {
    expect(() => decodeRequest(Buffer.from('000000', 'hex'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_TRUNCATED' }));
  });

  it('reuses a caller-provided reader', () => {
    const w = new JuteWriter();
    writeRequest(w, 1, OpCode.exists, { path: '/x', watch: false });
    writeRequest(w, 2, OpCode.sync, { path: '/y' });
    const reader = new JuteReader();
    expect(framesOf(w).map((f) => decodeRequest(f, reader).xid)).toEqual([1, 2]);
  });
});

describe('replies', () => {
  it('error replies have no body; success replies carry the record of the request type', () => {
    const w = new JuteWriter();
    writeReply(w, { xid: 1, zxid: 10n, err: ErrorCode.NONODE }, OpCode.getData, undefined);
    writeReply(w, { xid: 2, zxid: 11n, err: 0 }, OpCode.create, { path: '/a' });
    writeReply(w, { xid: 3, zxid: 11n, err: 0 }, OpCode.addWatch, { err: 0 });
    writeHeaderOnlyReply(w, { xid: -2, zxid: 11n, err: 0 });
    const [e, c, a, p] = framesOf(w);
    expect(e!.length).toBe(16);
    expect(decodeReply(OpCode.getData, e!)).toEqual({ header: { xid: 1, zxid: 10n, err: -101 }, body: undefined });
    expect(decodeReply(OpCode.create, c!)).toEqual({ header: { xid: 2, zxid: 11n, err: 0 }, body: { path: '/a' } });
    expect(decodeReply(OpCode.addWatch, a!).body).toEqual({ err: 0 });
    expect(decodeReply(OpCode.ping, p!)).toEqual({ header: { xid: -2, zxid: 11n, err: 0 }, body: undefined });
  });

  it('notifications are ReplyHeader(-1, zxid, 0) + WatcherEvent', () => {
    const w = new JuteWriter();
    writeNotification(w, -1n, { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/a' });
    const [frame] = framesOf(w);
    expect(frame!.toString('hex')).toBe('ffffffff' + 'ffffffffffffffff' + '00000000' + '00000003' + '00000003' + '000000022f61');
    const { header, reader } = decodeReplyHeader(frame!);
    expect(header.xid).toBe(-1);
    expect(decodeWatcherEvent(reader)).toEqual({ type: 3, state: 3, path: '/a' });
  });

  it('a reply that fails to encode leaves nothing half-written in the batch', () => {
    const w = new JuteWriter();
    writeReply(w, { xid: 1, zxid: 1n, err: 0 }, OpCode.sync, { path: '/ok' });
    const before = w.length;
    expect(() => writeReply(w, { xid: 2, zxid: 1n, err: 0 }, OpCode.getAllChildrenNumber, { totalNumber: 2 ** 40 })).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_UNENCODABLE' }),
    );
    expect(w.length).toBe(before);
    expect(framesOf(w)).toHaveLength(1);
  });
});
