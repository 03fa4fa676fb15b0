import {
  JuteWriter,
  ReplyHeader,
  SetSASLResponse,
  writeConnectResponse,
  writeHeaderOnlyReply,
  writeNotification,
  writeReply,
  type ConnectResponse,
  type RequestType,
  type ResponseBody,
  type Stat as WireStat,
} from '../../../protocols/zookeeper/index.js';
import type { Stat } from '../tree/stat.js';
import type { WatchedEvent } from '../watch/watch-types.js';

/** Replies are never capped: jute.maxbuffer limits what we read, the client limits what it reads. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export function toWireStat(s: Stat): WireStat {
  return {
    czxid: BigInt(s.czxid),
    mzxid: BigInt(s.mzxid),
    ctime: BigInt(s.ctime),
    mtime: BigInt(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner,
    dataLength: s.dataLength,
    numChildren: s.numChildren,
    pzxid: BigInt(s.pzxid),
  };
}

/**
 * Encodes whole frames through the wire codec into one reused writer and hands each out as
 * its own Buffer, ready to queue on a connection.
 */
export class ReplyEncoder {
  private readonly w = new JuteWriter(64 * 1024);

  reply<K extends RequestType>(xid: number, zxid: number, err: number, type: K, body: ResponseBody<K> | undefined): Buffer {
    if (err !== 0 || body === undefined) writeHeaderOnlyReply(this.w, { xid, zxid: BigInt(zxid), err }, NO_LIMIT);
    else writeReply(this.w, { xid, zxid: BigInt(zxid), err }, type, body, NO_LIMIT);
    return this.w.take();
  }

  headerOnly(xid: number, zxid: number, err: number): Buffer {
    writeHeaderOnlyReply(this.w, { xid, zxid: BigInt(zxid), err }, NO_LIMIT);
    return this.w.take();
  }

  notification(event: WatchedEvent): Buffer {
    writeNotification(this.w, BigInt(event.zxid), { type: event.type, state: event.state, path: event.path }, NO_LIMIT);
    return this.w.take();
  }

  /** Apache sends a SASL failure as ReplyHeader(err) followed by SetSASLResponse{null}, body included. */
  saslFailure(xid: number, err: number): Buffer {
    const start = this.w.beginFrame();
    ReplyHeader.encode(this.w, { xid, zxid: 0n, err });
    SetSASLResponse.encode(this.w, { token: null });
    this.w.endFrame(start);
    return this.w.take();
  }

  connectResponse(response: ConnectResponse, shortForm: boolean): Buffer {
    writeConnectResponse(this.w, response, shortForm ? {} : { readOnly: false }, NO_LIMIT);
    return this.w.take();
  }
}
