import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/** ListGroups: every group this coordinator owns (all of them), filtered by state (v4) and type (v5; all are classic). */
export const listGroupsHandler = defineHandler({
  api: KafkaApis.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    groups: ctx.broker.groups.listGroups(req.statesFilter ?? [], req.typesFilter ?? []),
  }),
});
