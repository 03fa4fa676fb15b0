import { UsageError } from '../../common/errors.js';

/**
 * Toxics in the manner of Shopify's toxiproxy: each one degrades a TCP stream in one
 * direction (`upstream` = client to server, `downstream` = server to client, or `both`).
 * They act on a byte stream, so "loss" cannot drop bytes (TCP would retransmit them); it
 * delays a chunk by a retransmission timeout instead, which is what an application sees of
 * packet loss.
 */
export type Toxic =
  | { type: 'latency'; latencyMs: number; jitterMs?: number }
  | { type: 'bandwidth'; bytesPerSecond: number }
  | { type: 'loss'; probability: number; retransmitMs?: number }
  | { type: 'stall'; closeAfterMs?: number }
  | { type: 'reset'; afterMs?: number }
  | { type: 'slow-close'; delayMs: number }
  | { type: 'slicer'; averageSize: number; sizeVariation?: number; delayMs?: number }
  | { type: 'limit-data'; bytes: number };

export type ToxicType = Toxic['type'];
export type ToxicDirection = 'upstream' | 'downstream' | 'both';

export interface ToxicSpec {
  toxic: Toxic;
  direction: ToxicDirection;
}

export const toxicTypes: readonly ToxicType[] = ['latency', 'bandwidth', 'loss', 'stall', 'reset', 'slow-close', 'slicer', 'limit-data'];

/** What each toxic does, for `--help` and docs. */
export const toxicDescriptions: Readonly<Record<ToxicType, string>> = {
  latency: 'delays every chunk by latencyMs ± jitterMs (toxiproxy latency)',
  bandwidth: 'limits the stream to bytesPerSecond (toxiproxy bandwidth)',
  loss: 'with probability p, holds a chunk for a retransmission timeout (retransmitMs, doubling while unlucky): packet loss as TCP shows it',
  stall: 'forwards nothing while active (data is held, not dropped); closes the connection after closeAfterMs when given (toxiproxy timeout)',
  reset: 'resets (RST) every connection afterMs after the toxic or the connection starts (toxiproxy reset_peer)',
  'slow-close': 'delays the close of the stream by delayMs (toxiproxy slow_close)',
  slicer: 'cuts chunks into pieces of about averageSize ± sizeVariation bytes, delayMs apart (toxiproxy slicer)',
  'limit-data': 'closes the connection once bytes have gone through (toxiproxy limit_data)',
};

function positive(name: string, value: unknown, allowZero = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError('KZ_NEMESIS_TOXIC_INVALID', `toxic ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Rejects nonsense before it reaches a live connection. */
export function validateToxic(toxic: Toxic): Toxic {
  switch (toxic.type) {
    case 'latency':
      positive('latencyMs', toxic.latencyMs);
      if (toxic.jitterMs !== undefined) positive('jitterMs', toxic.jitterMs);
      break;
    case 'bandwidth':
      positive('bytesPerSecond', toxic.bytesPerSecond, false);
      break;
    case 'loss':
      if (typeof toxic.probability !== 'number' || !(toxic.probability >= 0 && toxic.probability < 1)) {
        throw new UsageError('KZ_NEMESIS_TOXIC_INVALID', `toxic loss probability must be in [0, 1), got ${JSON.stringify(toxic.probability)}`);
      }
      if (toxic.retransmitMs !== undefined) positive('retransmitMs', toxic.retransmitMs, false);
      break;
    case 'stall':
      if (toxic.closeAfterMs !== undefined) positive('closeAfterMs', toxic.closeAfterMs);
      break;
    case 'reset':
      if (toxic.afterMs !== undefined) positive('afterMs', toxic.afterMs);
      break;
    case 'slow-close':
      positive('delayMs', toxic.delayMs);
      break;
    case 'slicer':
      positive('averageSize', toxic.averageSize, false);
      if (toxic.sizeVariation !== undefined) positive('sizeVariation', toxic.sizeVariation);
      if (toxic.delayMs !== undefined) positive('delayMs', toxic.delayMs);
      break;
    case 'limit-data':
      positive('bytes', toxic.bytes);
      break;
    default:
      throw new UsageError('KZ_NEMESIS_TOXIC_INVALID', `unknown toxic ${JSON.stringify((toxic as { type: unknown }).type)}; choose from ${toxicTypes.join(', ')}`);
  }
  return toxic;
}

export function appliesTo(spec: ToxicSpec, direction: 'upstream' | 'downstream'): boolean {
  return spec.direction === 'both' || spec.direction === direction;
}

/** A short label for the history and the report's fault bands. */
export function describeToxic(toxic: Toxic): string {
  switch (toxic.type) {
    case 'latency':
      return `latency ${toxic.latencyMs} ms${toxic.jitterMs ? ` ± ${toxic.jitterMs}` : ''}`;
    case 'bandwidth':
      return `bandwidth ${toxic.bytesPerSecond} B/s`;
    case 'loss':
      return `loss ${Math.round(toxic.probability * 100)}%`;
    case 'stall':
      return toxic.closeAfterMs !== undefined ? `stall, close after ${toxic.closeAfterMs} ms` : 'stall';
    case 'reset':
      return `reset after ${toxic.afterMs ?? 0} ms`;
    case 'slow-close':
      return `slow close ${toxic.delayMs} ms`;
    case 'slicer':
      return `slicer ${toxic.averageSize} B`;
    case 'limit-data':
      return `limit ${toxic.bytes} B`;
  }
}
