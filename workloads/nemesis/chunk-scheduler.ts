import type { Toxic } from './toxics.js';

/** A chunk of a stream and when it may leave the proxy (ms, same clock as `now`). */
export interface Pending {
  data: Buffer;
  releaseAt: number;
}

/**
 * The timing side of the toxics, apart from sockets so it can be tested exactly: given a
 * chunk, the toxics in force and the time it arrived, when may each of its pieces leave?
 * Release times never go backwards (a TCP stream does not reorder); bandwidth spaces pieces
 * by their size; a slicer cuts the chunk and spaces the pieces by its delay.
 */
export class ChunkScheduler {
  private lastRelease = 0;
  private bandwidthFree = 0;

  constructor(private readonly random: () => number) {}

  schedule(data: Buffer, toxics: readonly Toxic[], now: number): Pending[] {
    let releaseAt = now;
    let pieces: Buffer[] = [data];
    let sliceDelay = 0;
    let bytesPerSecond: number | undefined;
    for (const toxic of toxics) {
      switch (toxic.type) {
        case 'latency': {
          const jitter = toxic.jitterMs ? (this.random() * 2 - 1) * toxic.jitterMs : 0;
          releaseAt += Math.max(0, toxic.latencyMs + jitter);
          break;
        }
        case 'loss': {
          // Each retransmission may be lost again; the timeout doubles, as TCP's does (capped).
          let rto = toxic.retransmitMs ?? 200;
          while (this.random() < toxic.probability && rto <= 6400) {
            releaseAt += rto;
            rto *= 2;
          }
          break;
        }
        case 'slicer':
          pieces = slice(pieces, toxic.averageSize, toxic.sizeVariation ?? 0, this.random);
          sliceDelay = toxic.delayMs ?? 0;
          break;
        case 'bandwidth':
          bytesPerSecond = Math.min(bytesPerSecond ?? Infinity, toxic.bytesPerSecond);
          break;
        default:
          break;
      }
    }
    const out: Pending[] = [];
    for (const piece of pieces) {
      let at = Math.max(releaseAt, this.lastRelease);
      if (bytesPerSecond !== undefined) {
        // The link is busy until the previous piece has gone through at this rate.
        at = Math.max(at, this.bandwidthFree) + (piece.length * 1000) / bytesPerSecond;
        this.bandwidthFree = at;
      }
      this.lastRelease = at;
      out.push({ data: piece, releaseAt: at });
      releaseAt = at + sliceDelay;
    }
    return out;
  }
}

function slice(chunks: Buffer[], average: number, variation: number, random: () => number): Buffer[] {
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      const size = Math.max(1, Math.round(average + (random() * 2 - 1) * variation));
      out.push(chunk.subarray(offset, offset + size));
      offset += size;
    }
  }
  return out;
}
