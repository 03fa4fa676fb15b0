import { describe, expect, it } from 'vitest';
import * as records from '../../../../protocols/zookeeper/records.js';
import { JuteReader, JuteWriter, type RecordCodec } from '../../../../protocols/zookeeper/index.js';
import { sampleRecord } from './sample-values.js';

const codecs = (Object.values(records) as unknown[]).filter(
  (v): v is RecordCodec<unknown> => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'record',
);

function encode<T>(codec: RecordCodec<T>, value: T): Buffer {
  const w = new JuteWriter(16);
  codec.encode(w, value);
  return w.take();
}

describe('every record round-trips through its schema', () => {
  it('covers all records of the client protocol', () => {
    const names = codecs.map((c) => c.name).sort();
    // The brief's list plus the data records they are built from; a missing one fails here.
    for (const expected of [
      'ACL', 'AddWatchRequest', 'AuthPacket', 'CheckVersionRequest', 'CheckWatchesRequest', 'ClientInfo',
      'ConnectRequest', 'ConnectResponse', 'Create2Response', 'CreateRequest', 'CreateResponse', 'CreateTTLRequest',
      'DeleteRequest', 'ErrorResponse', 'ExistsRequest', 'ExistsResponse', 'GetACLRequest', 'GetACLResponse',
      'GetAllChildrenNumberRequest', 'GetAllChildrenNumberResponse', 'GetChildren2Request', 'GetChildren2Response',
      'GetChildrenRequest', 'GetChildrenResponse', 'GetDataRequest', 'GetDataResponse', 'GetEphemeralsRequest',
      'GetEphemeralsResponse', 'GetSASLRequest', 'Id', 'MultiHeader', 'ReconfigRequest', 'RemoveWatchesRequest',
      'ReplyHeader', 'RequestHeader', 'SetACLRequest', 'SetACLResponse', 'SetDataRequest', 'SetDataResponse',
      'SetSASLResponse', 'SetWatches', 'SetWatches2', 'Stat', 'SyncRequest', 'SyncResponse', 'WatcherEvent',
      'WhoAmIResponse',
    ]) {
      expect(names).toContain(expected);
    }
  });

  for (const codec of codecs) {
    it(`${codec.name}: decode(encode(v)) = v and re-encodes to the same bytes`, () => {
      for (let variant = 0; variant < 8; variant++) {
        const value = sampleRecord(codec, variant);
        const bytes = encode(codec, value);
        const reader = new JuteReader(bytes);
        const decoded = codec.decode(reader);
        expect(reader.remaining).toBe(0);
        expect(decoded).toEqual(value);
        expect(encode(codec, decoded)).toEqual(bytes);
      }
    });

    it(`${codec.name}: every proper prefix of an encoding is rejected as truncated`, () => {
      const bytes = encode(codec, sampleRecord(codec, 2));
      const accepted: number[] = [];
      const wrongErrors: string[] = [];
      for (let cut = 0; cut < bytes.length; cut++) {
        // A record ending in a trailing-optional field legitimately decodes without it.
        if (codec.fields.at(-1)?.type.kind === 'trailing' && cut === bytes.length - 1) continue;
        try {
          codec.decode(new JuteReader(bytes.subarray(0, cut)));
          accepted.push(cut);
        } catch (e) {
          const err = e as { code?: string; message: string };
          if (err.code !== 'KZ_ZK_TRUNCATED' || !err.message.includes(codec.name)) wrongErrors.push(`${cut}: ${err.message}`);
        }
      }
      expect(accepted).toEqual([]);
      expect(wrongErrors).toEqual([]);
    });
  }
});

describe('record layout matches zookeeper.jute', () => {
  it('Stat is 68 bytes in field order', () => {
    const bytes = encode(records.Stat, {
      czxid: 0x0102030405060708n,
      mzxid: 2n,
      ctime: 3n,
      mtime: 4n,
      version: 5,
      cversion: 6,
      aversion: 7,
      ephemeralOwner: -1n,
      dataLength: 9,
      numChildren: 10,
      pzxid: 11n,
    });
    expect(bytes.length).toBe(68);
    expect(bytes.toString('hex')).toBe(
      '0102030405060708' + '0000000000000002' + '0000000000000003' + '0000000000000004' +
        '00000005' + '00000006' + '00000007' + 'ffffffffffffffff' + '00000009' + '0000000a' + '000000000000000b',
    );
  });

  it('CreateRequest: ustring, buffer, vector<ACL>, int', () => {
    const bytes = encode(records.CreateRequest, {
      path: '/a',
      data: Buffer.from('hi'),
      acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
      flags: 3,
    });
    expect(bytes.toString('hex')).toBe(
      '000000022f61' + '000000026869' + '00000001' + '0000001f' + '00000005776f726c64' + '00000006616e796f6e65' + '00000003',
    );
  });

  it('ConnectRequest has a long (with readOnly) and a short form', () => {
    const base = { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30000, sessionId: 0n, passwd: Buffer.alloc(16) };
    const long = encode(records.ConnectRequest, { ...base, readOnly: false });
    const short = encode(records.ConnectRequest, base);
    expect(short.length).toBe(44);
    expect(long.length).toBe(45);
    expect(records.ConnectRequest.decode(new JuteReader(short)).readOnly).toBeUndefined();
    expect(records.ConnectRequest.decode(new JuteReader(long)).readOnly).toBe(false);
  });
});
