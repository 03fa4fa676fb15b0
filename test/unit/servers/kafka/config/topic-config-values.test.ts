import { describe, expect, it } from 'vitest';
import { brokerConfigDefinitions } from '../../../../../servers/kafka/config/broker-config-definitions.js';
import { canonicalConfigValue, javaDoubleText } from '../../../../../servers/kafka/config/config-value-types.js';
import { InvalidConfigError } from '../../../../../servers/kafka/config/invalid-config-error.js';
import { topicConfigDefinitions } from '../../../../../servers/kafka/config/topic-config-definitions.js';
import { brokerDefaultOfTopicConfig, canonicalTopicConfigValue, validateTopicConfigs } from '../../../../../servers/kafka/config/topic-config-values.js';
import { ConfigSource, brokerSettingSynonyms } from '../../../../../servers/kafka/handlers/config-synonyms.js';
import { applyTopicConfigs, defaultLogConfig, logConfigFromBrokerProperties } from '../../../../../servers/kafka/log/log-config.js';

const def = (name: string) => topicConfigDefinitions.get(name)!;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof InvalidConfigError) return err.message;
    throw err;
  }
  throw new Error('expected an InvalidConfigError');
};

describe('topic config definitions', () => {
  it('has the 36 topic configs of Apache Kafka 3.9, each with a documented default its own check accepts', () => {
    expect(topicConfigDefinitions.size).toBe(36);
    for (const d of topicConfigDefinitions.values()) {
      expect(d.doc.length, d.name).toBeGreaterThan(10);
      expect(canonicalTopicConfigValue(d, d.defaultValue), d.name).toBe(d.defaultValue);
      // Every broker synonym is a broker config the broker can describe.
      for (const s of d.brokerSynonyms) expect(brokerConfigDefinitions.has(s), s).toBe(true);
    }
  });

  it('renders values as Apache does once parsed', () => {
    expect(canonicalTopicConfigValue(def('cleanup.policy'), ' delete , compact')).toBe('delete,compact');
    expect(canonicalTopicConfigValue(def('min.cleanable.dirty.ratio'), '1')).toBe('1.0');
    expect(canonicalTopicConfigValue(def('retention.ms'), ' 3600000 ')).toBe('3600000');
    expect(canonicalTopicConfigValue(def('preallocate'), 'TRUE')).toBe('true');
    expect(canonicalTopicConfigValue(def('flush.messages'), '9223372036854775807')).toBe('9223372036854775807');
    expect(javaDoubleText(1.7976931348623157e308)).toBe('1.7976931348623157E308');
    expect(javaDoubleText(0.5)).toBe('0.5');
  });

  it('refuses bad values with ConfigException wording', () => {
    expect(refusal(() => canonicalTopicConfigValue(def('retention.ms'), 'soon'))).toBe('Invalid value soon for configuration retention.ms: Not a number of type LONG');
    expect(refusal(() => canonicalTopicConfigValue(def('segment.bytes'), '9223372036854775807'))).toMatch(/Not a number of type INT/);
    expect(refusal(() => canonicalTopicConfigValue(def('segment.bytes'), '13'))).toMatch(/Value must be at least 14/);
    expect(refusal(() => canonicalTopicConfigValue(def('cleanup.policy'), 'delete,sometimes'))).toBe(
      'Invalid value sometimes for configuration cleanup.policy: String must be one of: compact, delete',
    );
    expect(refusal(() => canonicalTopicConfigValue(def('compression.type'), 'brotli'))).toMatch(/String must be one of/);
    expect(refusal(() => canonicalTopicConfigValue(def('min.cleanable.dirty.ratio'), '1.5'))).toMatch(/no more than 1/);
    expect(refusal(() => canonicalTopicConfigValue(def('leader.replication.throttled.replicas'), '0:x'))).toMatch(/partitionId/);
    expect(canonicalTopicConfigValue(def('leader.replication.throttled.replicas'), '0:1, 1:1')).toBe('0:1,1:1');
    expect(() => canonicalConfigValue('boolean', 'yes')).toThrow(/true or false/);
  });

  it('validates a set of overrides: unknown names, nulls, crossing compaction lags, tiered storage', () => {
    expect(() => validateTopicConfigs({ 'retention.ms': '1000', 'cleanup.policy': 'compact' })).not.toThrow();
    expect(refusal(() => validateTopicConfigs({ 'no.such.config': '1' }))).toBe('Unknown topic config name: no.such.config');
    expect(refusal(() => validateTopicConfigs({ 'retention.ms': null }))).toMatch(/Null value not supported/);
    expect(refusal(() => validateTopicConfigs({ 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' }))).toMatch(/conflict topic config setting/);
    expect(refusal(() => validateTopicConfigs({ 'remote.storage.enable': 'true' }))).toMatch(/Tiered Storage functionality is disabled/);
  });

  it('takes a topic default from server.properties in the topic unit, the most specific synonym first', () => {
    expect(brokerDefaultOfTopicConfig(def('retention.ms'), {})).toBe('604800000');
    expect(brokerDefaultOfTopicConfig(def('retention.ms'), { 'log.retention.hours': '1' })).toBe('3600000');
    expect(brokerDefaultOfTopicConfig(def('retention.ms'), { 'log.retention.hours': '1', 'log.retention.minutes': '2' })).toBe('120000');
    expect(brokerDefaultOfTopicConfig(def('retention.ms'), { 'log.retention.hours': '-1' })).toBe('-1');
    expect(brokerDefaultOfTopicConfig(def('cleanup.policy'), { 'log.cleanup.policy': 'compact' })).toBe('compact');
    expect(logConfigFromBrokerProperties({ 'log.roll.hours': '2', 'log.segment.bytes': '1024' })).toMatchObject({ segmentMs: 7_200_000, segmentBytes: 1024 });
    // A bad default fails at startup even when it does not shape the log.
    expect(refusal(() => logConfigFromBrokerProperties({ 'log.preallocate': 'maybe' }))).toMatch(/^log.preallocate=maybe is not a valid default for topic config preallocate: .*true or false/);
  });

  it('applies overrides to the log config through the same checks', () => {
    expect(applyTopicConfigs(defaultLogConfig, { 'cleanup.policy': 'delete,compact', 'min.cleanable.dirty.ratio': '0.1' })).toMatchObject({
      cleanupPolicy: { delete: true, compact: true },
      minCleanableDirtyRatio: 0.1,
    });
    expect(refusal(() => applyTopicConfigs(defaultLogConfig, { 'segment.ms': '0' }))).toMatch(/at least 1/);
  });
});

describe('broker config synonyms (what DescribeConfigs lists and where a value comes from)', () => {
  it('lists static settings, then built-in defaults, from the described name on', () => {
    expect(brokerSettingSynonyms('min.insync.replicas', { 'min.insync.replicas': '2' })).toEqual([
      { name: 'min.insync.replicas', value: '2', source: ConfigSource.staticBroker },
      { name: 'min.insync.replicas', value: '1', source: ConfigSource.default },
    ]);
    expect(brokerSettingSynonyms('log.retention.hours', {})).toEqual([{ name: 'log.retention.hours', value: '168', source: ConfigSource.default }]);
    // log.retention.ms has no default and is not set: a retention in hours is not its synonym.
    expect(brokerSettingSynonyms('log.retention.ms', { 'log.retention.hours': '24' })).toEqual([]);
    expect(brokerSettingSynonyms('log.retention.ms', { 'log.retention.ms': '5', 'log.retention.hours': '24' })).toEqual([
      { name: 'log.retention.ms', value: '5', source: ConfigSource.staticBroker },
      { name: 'log.retention.hours', value: '24', source: ConfigSource.staticBroker },
      { name: 'log.retention.hours', value: '168', source: ConfigSource.default },
    ]);
  });
});
