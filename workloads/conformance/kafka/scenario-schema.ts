import { z } from 'zod';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';

/**
 * The Kafka scenario file format (docs/conformance.md, "Kafka"). A file holds `scenarios:`;
 * each scenario declares its connections and the names it owns (topics it wants created,
 * groups, transactional ids), then runs request steps over the raw codec. Request bodies and
 * expectations follow the codec's message schemas (camelCase field names), and the loader
 * checks them against those schemas, so a misspelt field is an error at its line.
 */

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier: letters, digits and _');

/** Every API the codec speaks, by its name (`Produce`, `JoinGroup`, ...). */
export const apiNames = Object.keys(KafkaApis) as [keyof typeof KafkaApis, ...(keyof typeof KafkaApis)[]];
export const ApiName = z.enum(apiNames);
export type ApiName = z.infer<typeof ApiName>;

/** `max` (the default): the highest version the codec and the target both support. */
const VersionSpec = z.union([z.literal('max'), z.number().int().min(0).max(32767)]);

const TopicDecl = z.strictObject({
  partitions: z.number().int().min(1).max(1000).optional(),
  /** Topic configs given to CreateTopics (`cleanup.policy: compact`). */
  configs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type TopicDecl = z.infer<typeof TopicDecl>;

const common = {
  /** Run this step only on these target versions (`>=4`, `3.9.x`). */
  versions: z.string().optional(),
  /** What the step shows, in reports. */
  note: z.string().optional(),
  /** Diff mode: fields of this step's normalised response not to compare (`topics.partitions`). */
  diffIgnore: z.array(z.string()).optional(),
  /**
   * The expected response, matched partially (only the fields given): error codes by name,
   * numbers exactly or as relations (`== $p.baseOffset + 1`), `$name` references, special
   * forms for arrays (`includes`, `anyOrder`, `length`) and `byVersion` tables.
   */
  expect: z.unknown().optional(),
  /** The broker closes the connection instead of answering (or, for acks=0, after the request); may be a byVersion table. */
  closed: z.union([z.boolean(), z.strictObject({ byVersion: z.record(z.string(), z.boolean()) })]).optional(),
  /**
   * Re-send the request until its expectations hold (every 200 ms, up to `timeoutMs`, default
   * 30 s), for effects Apache applies after answering: transaction markers, topic creation
   * and deletion, coordinator loading. Only the final response is checked and compared.
   */
  eventually: z.union([z.boolean(), z.strictObject({ timeoutMs: z.number().int().positive().max(300_000) })]).optional(),
  /** Keep this step's response for `$name.field` references in later steps. */
  save: identifier.optional(),
};

export const RequestStep = z.strictObject({
  api: ApiName,
  version: VersionSpec.optional(),
  /** The connection to send on (default: the first declared). */
  connection: z.string().optional(),
  /** The request body: codec field names; omitted fields take the schema's defaults. */
  body: z.record(z.string(), z.unknown()).optional(),
  /**
   * Send without waiting: the response is collected (and checked) by a later `await` step.
   * For requests the broker parks, such as a JoinGroup waiting for the other members.
   */
  async: z.boolean().optional(),
  ...common,
});
export type RequestStep = z.infer<typeof RequestStep>;

export const RawStep = z.strictObject({
  /**
   * A hand-made request: a header with any key and version, then `body` (hex). Header v1 by
   * default; v2 (flexible requests) adds the tagged-field section, and is what a broker
   * expects for a version it considers flexible (any unknown ApiVersions version).
   */
  raw: z.strictObject({
    apiKey: z.number().int().min(-32768).max(32767),
    apiVersion: z.number().int().min(-32768).max(32767),
    headerVersion: z.union([z.literal(1), z.literal(2)]).optional(),
    body: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'body is hex: pairs of hex digits').optional(),
  }),
  /** How to decode the response; without it the response is kept as hex. */
  decodeAs: z.strictObject({ api: ApiName, version: z.number().int().min(0) }).optional(),
  connection: z.string().optional(),
  ...common,
});
export type RawStep = z.infer<typeof RawStep>;

export const AwaitStep = z.strictObject({
  /** The `save` name of an earlier `async` step whose response to check now. */
  await: identifier,
  versions: common.versions,
  note: common.note,
  diffIgnore: common.diffIgnore,
  expect: common.expect,
  closed: common.closed,
});
export type AwaitStep = z.infer<typeof AwaitStep>;

export const Step = z.union([RequestStep, RawStep, AwaitStep]);
export type Step = z.infer<typeof Step>;

export const KafkaScenario = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a scenario name is letters, digits, - _ and .'),
  description: z.string().optional(),
  /** Gate for the whole scenario on the target's version. */
  versions: z.string().optional(),
  /** Connection names (default [a]); each is one TCP connection to the broker. */
  connections: z.array(identifier).min(1).optional(),
  /**
   * Topics created (and awaited) before the first step and deleted afterwards. Each key is a
   * name: `$t` in a body or expectation is the topic's real, run-unique name, `$t.id` its id.
   */
  topics: z.record(identifier, TopicDecl).optional(),
  /** More run-unique names (groups, transactional ids, topics the steps create): `$g`. Deleted as topics and groups afterwards. */
  names: z.array(identifier).optional(),
  steps: z.array(Step).min(1),
});
export type KafkaScenario = z.infer<typeof KafkaScenario>;

export const KafkaScenarioFile = z.strictObject({
  description: z.string().optional(),
  scenarios: z.array(KafkaScenario).min(1),
});
export type KafkaScenarioFile = z.infer<typeof KafkaScenarioFile>;

export function isRequestStep(step: Step): step is RequestStep {
  return 'api' in step;
}
export function isRawStep(step: Step): step is RawStep {
  return 'raw' in step;
}
export function isAwaitStep(step: Step): step is AwaitStep {
  return 'await' in step;
}
