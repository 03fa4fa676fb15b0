import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { topicConfigDefinitions } from '../config/topic-config-definitions.js';
import { alterTopicConfigs } from './alter-topic-configs.js';
import { defineHandler } from './api-handler.js';

const Op = { set: 0, delete: 1, append: 2, subtract: 3 } as const;
const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

/** The items of a list value as Apache's controller splits them (no trimming), or of the built-in default when unset. */
function listParts(current: string | undefined, name: string): string[] {
  const value = current ?? topicConfigDefinitions.get(name)?.defaultValue ?? '';
  return value.split(',').filter((s) => s.length > 0);
}

/**
 * IncrementalAlterConfigs: SET, DELETE, and APPEND/SUBTRACT on list configs (KIP-339), applied
 * in order to the topic's overrides; APPEND to an unset list starts from its built-in default,
 * as Apache's ConfigurationControlManager does ("delete" APPEND "compact" → "delete,compact").
 */
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
            if (topicConfigDefinitions.get(c.name)?.type !== 'list') return `Can't ${OP_NAMES[c.configOperation]} to key ${c.name} because its type is not LIST.`;
            const items = listParts(current[c.name], c.name);
            const given = (c.value ?? '').split(',');
            const next = c.configOperation === Op.append ? [...items, ...given.filter((g, i) => !items.includes(g) && given.indexOf(g) === i)] : items.filter((i) => !given.includes(i));
            current[c.name] = next.join(',');
          } else return `Unknown config operation ${c.configOperation}`;
        }
        return current;
      }),
    ),
  }),
});
