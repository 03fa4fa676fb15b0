import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  JuteReader,
  JuteWriter,
  MultiRequestCodec,
  MultiResponseCodec,
  OPEN_ACL_UNSAFE,
  OpCode,
  type MultiRequest,
  type MultiResponse,
  type Stat,
} from '../../../../protocols/zookeeper/index.js';

const stat: Stat = {
  czxid: 5n, mzxid: 6n, ctime: 1_700_000_000_000n, mtime: 1_700_000_000_001n, version: 1, cversion: 0,
  aversion: 0, ephemeralOwner: 0x72000a1b2c3d4e5fn, dataLength: 3, numChildren: 0, pzxid: 5n,
};

function bytesOf<T>(codec: { encode(w: JuteWriter, v: T): void }, value: T): Buffer {
  const w = new JuteWriter();
  codec.encode(w, value);
  return w.take();
}

describe('multi', () => {
  const request: MultiRequest = {
    ops: [
      { type: OpCode.create, body: { path: '/a', data: Buffer.from('x'), acl: OPEN_ACL_UNSAFE, flags: 0 } },
      { type: OpCode.create2, body: { path: '/b', data: null, acl: OPEN_ACL_UNSAFE, flags: 1 } },
      { type: OpCode.createContainer, body: { path: '/c', data: null, acl: OPEN_ACL_UNSAFE, flags: 4 } },
      { type: OpCode.createTTL, body: { path: '/d', data: null, acl: OPEN_ACL_UNSAFE, flags: 5, ttl: 60_000n } },
      { type: OpCode.setData, body: { path: '/a', data: Buffer.from('y'), version: -1 } },
      { type: OpCode.check, body: { path: '/a', version: 1 } },
      { type: OpCode.delete, body: { path: '/a', version: -1 } },
      { type: OpCode.getData, body: { path: '/a', watch: false } },
      { type: OpCode.getChildren, body: { path: '/', watch: false } },
    ],
  };

  it('a request is MultiHeader{type,false,-1}+record per op, closed by {-1,true,-1}', () => {
    const bytes = bytesOf(MultiRequestCodec, { ops: [{ type: OpCode.delete, body: { path: '/x', version: -1 } }] });
    expect(bytes.toString('hex')).toBe('00000002' + '00' + 'ffffffff' + '000000022f78' + 'ffffffff' + 'ffffffff' + '01' + 'ffffffff');
    expect(bytesOf(MultiRequestCodec, { ops: [] }).toString('hex')).toBe('ffffffff01ffffffff');
  });

  it('round-trips every op kind', () => {
    const bytes = bytesOf(MultiRequestCodec, request);
    const r = new JuteReader(bytes);
    expect(MultiRequestCodec.decode(r)).toEqual(request);
    expect(r.remaining).toBe(0);
  });

  it('round-trips success results of every kind and error results', () => {
    const response: MultiResponse = {
      results: [
        { type: OpCode.create, body: { path: '/a' } },
        { type: OpCode.create2, body: { path: '/b', stat } },
        { type: OpCode.createContainer, body: { path: '/c', stat } },
        { type: OpCode.createTTL, body: { path: '/d', stat } },
        { type: OpCode.setData, body: { stat } },
        { type: OpCode.check },
        { type: OpCode.delete },
        { type: OpCode.getData, body: { data: Buffer.from('y'), stat } },
        { type: OpCode.getChildren, body: { children: ['a', 'b'] } },
        { type: OpCode.error, err: ErrorCode.NONODE },
      ],
    };
    const bytes = bytesOf(MultiResponseCodec, response);
    const r = new JuteReader(bytes);
    expect(MultiResponseCodec.decode(r)).toEqual(response);
    expect(r.remaining).toBe(0);
  });

  it('a failed multi: error results carry the code in header and body', () => {
    const failed: MultiResponse = {
      results: [
        { type: OpCode.error, err: ErrorCode.OK },
        { type: OpCode.error, err: ErrorCode.NODEEXISTS },
        { type: OpCode.error, err: ErrorCode.RUNTIMEINCONSISTENCY },
      ],
    };
    expect(bytesOf(MultiResponseCodec, failed).toString('hex')).toBe(
      'ffffffff00' + '00000000' + '00000000' +
        'ffffffff00' + 'ffffff92' + 'ffffff92' +
        'ffffffff00' + 'fffffffe' + 'fffffffe' +
        'ffffffff01ffffffff',
    );
  });

  it('rejects ops that cannot appear in a multi, naming them', () => {
    const bad = Buffer.from('00000009' + '00' + 'ffffffff' + 'ffffffff01ffffffff', 'hex');
    expect(() => MultiRequestCodec.decode(new JuteReader(bad))).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_UNKNOWN_OP', message: expect.stringContaining('sync') }),
    );
    expect(() => MultiResponseCodec.decode(new JuteReader(bad))).toThrow(expect.objectContaining({ code: 'KZ_ZK_UNKNOWN_OP' }));
  });

  it('a multi without its terminator is truncated, not an endless loop', () => {
    const open = bytesOf(MultiRequestCodec, request).subarray(0, -9);
    expect(() => MultiRequestCodec.decode(new JuteReader(open))).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_TRUNCATED', message: expect.stringContaining('MultiRequest') }),
    );
  });
});
