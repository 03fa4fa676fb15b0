import { describe, expect, it } from 'vitest';
import { allPinnedVersions, chooseVersion, compareVersions, defaultVersions, versionLine } from '../../../workloads/launchers/apache-versions.js';

describe('Apache version choice', () => {
  it('uses the pinned default when no version is named, and marks it as not explicit', () => {
    expect(chooseVersion('zookeeper')).toEqual({ system: 'zookeeper', version: defaultVersions.zookeeper, source: 'maven', explicit: false });
    expect(chooseVersion('kafka', '')).toMatchObject({ version: defaultVersions.kafka, explicit: false });
  });

  it('resolves line aliases to their pinned patch', () => {
    expect(chooseVersion('kafka', '3.9').version).toBe('3.9.2');
    expect(chooseVersion('kafka', '4').version).toBe('4.3.1');
    expect(chooseVersion('zookeeper', '3.9').version).toBe('3.9.5');
  });

  it("maps 'debian' and 3.8.0 to Debian's ZooKeeper package", () => {
    expect(chooseVersion('zookeeper', 'debian')).toMatchObject({ version: '3.8.0', source: 'debian', explicit: true });
    expect(chooseVersion('zookeeper', '3.8.0').source).toBe('debian');
  });

  it('passes exact versions through and rejects anything else with a usage error', () => {
    expect(chooseVersion('kafka', '3.8.1')).toMatchObject({ version: '3.8.1', source: 'maven', explicit: true });
    expect(() => chooseVersion('kafka', 'debian')).toThrow(/not a kafka version/);
    expect(() => chooseVersion('kafka', 'latest')).toThrow(expect.objectContaining({ exitCode: 2, code: 'KZ_APACHE_VERSION_INVALID' }));
  });

  it('orders versions numerically and lists every pinned line once', () => {
    expect(['4.10.0', '3.9.2', '4.3.1'].sort(compareVersions)).toEqual(['3.9.2', '4.3.1', '4.10.0']);
    expect(allPinnedVersions('kafka')).toEqual(['3.9.2', '4.3.1']);
    expect(versionLine('3.9.5')).toEqual([3, 9]);
  });
});
