import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/** DeleteGroups: empty groups go with their offsets (tombstones in `__consumer_offsets`). */
export const deleteGroupsHandler = defineHandler({
  api: KafkaApis.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  handle: (req, ctx) => {
    const results = ctx.broker.groups.deleteGroups(req.groupsNames);
    return { throttleTimeMs: 0, results: [...results].map(([groupId, errorCode]) => ({ groupId, errorCode })) };
  },
});
