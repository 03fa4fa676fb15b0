/**
 * Micro-benchmark of the hot codec paths (not part of `npm test`; speed lives in benches):
 *   npx tsx test/unit/protocols/zookeeper/codec.bench.ts
 * Also times a field-walking interpreter over the same schema, the design the generated
 * code replaced, so the choice stays justified by numbers.
 */
import { Bench } from 'tinybench';
import {
  FrameReader,
  GetDataResponse,
  JuteReader,
  JuteWriter,
  OpCode,
  decodeReply,
  writeReply,
  writeRequest,
  type AnyJuteType,
  type RecordCodec,
  type Stat,
} from '../../../../protocols/zookeeper/index.js';

const stat: Stat = {
  czxid: 0x1000000a1n, mzxid: 0x1000000b2n, ctime: 1_700_000_000_000n, mtime: 1_700_000_000_123n, version: 7,
  cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 100, numChildren: 0, pzxid: 0x1000000a1n,
};
const value = Buffer.alloc(100, 0x61);

const replyWriter = new JuteWriter();
writeReply(replyWriter, { xid: 12345, zxid: 0x1000000b2n, err: 0 }, OpCode.getData, { data: value, stat });
const replyFrame = replyWriter.take().subarray(4);

// A batch of 100 request frames, as one socket chunk.
const batchWriter = new JuteWriter();
for (let i = 0; i < 100; i++) writeRequest(batchWriter, i, OpCode.getData, { path: `/bench/key-${i}`, watch: false });
const batch = batchWriter.take();

/** The alternative design: walk the field list per record. */
function interpret(type: AnyJuteType, r: JuteReader): unknown {
  switch (type.kind) {
    case 'int': return r.int();
    case 'long': return r.long();
    case 'bool': return r.bool();
    case 'ustring': return r.ustring('x');
    case 'ustringOrNull': return r.ustringOrNull();
    case 'buffer': return r.buffer();
    case 'vector': {
      const n = r.vectorCount(type.element.minSize);
      const a = [];
      for (let i = 0; i < n; i++) a.push(interpret(type.element, r));
      return a;
    }
    case 'trailing': return r.pos < r.end ? interpret(type.inner, r) : undefined;
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const f of (type as RecordCodec<unknown>).fields) out[f.name] = interpret(f.type, r);
      return out;
    }
  }
}

const reader = new JuteReader();
const writer = new JuteWriter();
let sink = 0;
const bench = new Bench({ time: 500 });
bench
  .add('encode getData request (frame)', () => {
    writeRequest(writer, 1, OpCode.getData, { path: '/bench/key-00042', watch: false });
    if (writer.length > 1 << 20) writer.take();
  })
  .add('encode setData request, 100 B (frame)', () => {
    writeRequest(writer, 1, OpCode.setData, { path: '/bench/key-00042', data: value, version: -1 });
    if (writer.length > 1 << 20) writer.take();
  })
  .add('decode getData reply, 100 B + Stat (generated)', () => {
    const { body } = decodeReply(OpCode.getData, replyFrame, reader);
    sink += body!.stat.version;
  })
  .add('decode GetDataResponse body (interpreted, for comparison)', () => {
    reader.reset(replyFrame, 16);
    const body = interpret(GetDataResponse, reader) as { stat: Stat };
    sink += body.stat.version;
  })
  .add('decode GetDataResponse body (generated)', () => {
    reader.reset(replyFrame, 16);
    sink += GetDataResponse.decode(reader).stat.version;
  })
  .add('frame-split a 100-request chunk', () => {
    const fr = new FrameReader({ onFrame: (f) => (sink += f.length) });
    fr.push(batch);
  });

await bench.run();
console.table(
  bench.tasks.map((t) => {
    // The median is what to quote on a shared machine: means are dragged by scheduler stalls.
    const r = t.result as { latency?: { p50: number } } | undefined;
    const p50 = r?.latency?.p50 ?? 0;
    return { task: t.name, 'median ns/op': Math.round(p50 * 1e6), 'ops/s at the median': Math.round(1000 / p50) };
  }),
);
if (sink === 42) console.log('');
