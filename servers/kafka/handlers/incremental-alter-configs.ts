import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { alterTopicConfigs } from './alter-topic-configs.js';
import { defineHandler } from './api-handler.js';

const Op = { set: 0, delete: 1, append: 2, subtract: 3 } as const;
/** List-typed topic configs, the only ones APPEND/SUBTRACT apply to. */
const LIST_CONFIGS = new Set(['cleanup.policy', 'leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']);

/** IncrementalAlterConfigs: SET, DELETE, and APPEND/SUBTRACT on list configs (KIP-339). */
export const incrementalAlterConfigsHandler = defineHandler({
  api: KafkaApis.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    responses: req.resources.map((r) =>
      alterTopicConfigs(ctx.broker, r.resourceType, r.resourceName, req.validateOnly, (current) => {
        for (const c of r.configs) {
          if (c.configOperation === Op.set) {
            if (c.value === null) return `Null value not supported for: ${c.name}`;
            current[c.name] = c.value;
          } else if (c.configOperation === Op.delete) delete current[c.name];
          else if (c.configOperation === Op.append || c.configOperation === Op.subtract) {
            if (!LIST_CONFIGS.has(c.name)) return `Config value append/subtract is not allowed for config key: ${c.name}`;
            const items = (current[c.name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
            const given = (c.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
            const next = c.configOperation === Op.append ? [...items, ...given.filter((g) => !items.includes(g))] : items.filter((i) => !given.includes(i));
            current[c.name] = next.join(',');
          } else return `Unknown config operation ${c.configOperation}`;
        }
        return current;
      }),
    ),
  }),
});
