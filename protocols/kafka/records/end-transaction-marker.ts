import { KafkaCodecError } from '../codec-error.js';
import type { Record } from './record.js';

/**
 * The single record of a control batch (Apache `EndTransactionMarker`, `ControlRecordType`):
 * key = version int16 (0), type int16 (0 ABORT, 1 COMMIT); value = version int16 (0),
 * coordinatorEpoch int32.
 */
export const ControlRecordType = { abort: 0, commit: 1 } as const;
export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType];

export interface EndTransactionMarker {
  type: ControlRecordType;
  coordinatorEpoch: number;
}

const CONTROL_KEY_VERSION = 0;
const MARKER_VALUE_VERSION = 0;

export function endTransactionMarkerRecord(marker: EndTransactionMarker): Record {
  const key = Buffer.alloc(4);
  key.writeInt16BE(CONTROL_KEY_VERSION, 0);
  key.writeInt16BE(marker.type, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(MARKER_VALUE_VERSION, 0);
  value.writeInt32BE(marker.coordinatorEpoch, 2);
  return { attributes: 0, timestampDelta: 0, offsetDelta: 0, key, value, headers: [] };
}

export function readEndTransactionMarker(record: Record): EndTransactionMarker {
  const { key, value } = record;
  if (key === null || key.length < 4) throw new KafkaCodecError('control record without a 4-byte key');
  const type = key.readInt16BE(2);
  if (type !== ControlRecordType.abort && type !== ControlRecordType.commit) {
    throw new KafkaCodecError(`control record type ${type} is not an end-transaction marker`);
  }
  if (value === null || value.length < 6) throw new KafkaCodecError('end-transaction marker without a 6-byte value');
  return { type, coordinatorEpoch: value.readInt32BE(2) };
}
