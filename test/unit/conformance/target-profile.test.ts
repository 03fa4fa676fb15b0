import { describe, expect, it } from 'vitest';
import { parseTargetSpec } from '../../../workloads/conformance/target-spec.js';
import { conformanceZooCfg } from '../../../workloads/conformance/zookeeper/target-profile.js';
import { parseSrvrVersion } from '../../../workloads/conformance/zookeeper/zookeeper-target.js';
import { zooCfgText } from '../../../workloads/launchers/zookeeper-config.js';

describe('conformance targets', () => {
  it('writes the profile after the launcher defaults, so its whitelist wins', () => {
    const node = { id: 1, host: '127.0.0.1', clientPort: 2181, quorumPort: 2888, electionPort: 3888, dataDir: '/d' };
    const lines = zooCfgText(node, [node], conformanceZooCfg).trim().split('\n');
    const whitelist = lines.filter((l) => l.startsWith('4lw.commands.whitelist='));
    expect(whitelist).toEqual(['4lw.commands.whitelist=*', `4lw.commands.whitelist=${conformanceZooCfg['4lw.commands.whitelist']}`]);
    expect(lines.at(-1)).toBe(`4lw.commands.whitelist=${conformanceZooCfg['4lw.commands.whitelist']}`);
    expect(lines).toContain('extendedTypesEnabled=true');
  });

  it('parses --target values', () => {
    expect(parseTargetSpec('reference')).toEqual({ kind: 'reference' });
    expect(parseTargetSpec('reference:4.1')).toEqual({ kind: 'reference', release: '4.1' });
    expect(() => parseTargetSpec('reference:')).toThrow(/needs a Kafka release/);
    expect(parseTargetSpec('apache')).toEqual({ kind: 'apache' });
    expect(parseTargetSpec('apache:3.8.0')).toEqual({ kind: 'apache', version: '3.8.0' });
    expect(() => parseTargetSpec('apache:')).toThrow(/needs a version/);
    expect(() => parseTargetSpec('/no/such/file.json', '--diff')).toThrow(/--diff \/no\/such\/file.json: no such target.json/);
  });

  it('reads the version a server reports in srvr', () => {
    expect(parseSrvrVersion('Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\nMode: standalone\n')).toBe('3.8.0');
    expect(parseSrvrVersion('Zookeeper version: 3.9.5-293c895a, built on 2026-02-11\n')).toBe('3.9.5');
    expect(parseSrvrVersion('gtmk is not executed because it is not in the whitelist.')).toBeUndefined();
  });
});
