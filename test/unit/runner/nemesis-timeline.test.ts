import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../../workloads/runner/history-recorder.js';
import { RunSession } from '../../../workloads/runner/run-session.js';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

describe('NemesisTimeline', () => {
  it('records fault intervals on the run time line and as nemesis ops in the history', async () => {
    const clock = new VirtualClock(1_000_000n);
    const history = new HistoryRecorder({ keep: true });
    const session = new RunSession({ clock, history });
    await clock.sleep(2_000_000_000n);
    const partition = session.nemesis.begin('partition', ['n1', 'n2'], { grudge: { n1: ['n3'] } });
    await clock.sleep(1_500_000_000n);
    partition.end();
    partition.end(); // idempotent
    const kill = session.nemesis.begin('kill', ['n3']);
    expect(session.nemesis.snapshot()).toEqual([
      { fault: 'partition', start: 2, end: 3.5, nodes: ['n1', 'n2'] },
      { fault: 'kill', start: 3.5, end: null, nodes: ['n3'] },
    ]);
    kill.end('restarted');
    expect(history.ops).toEqual([
      { index: 0, time: 2e9, process: 'nemesis', type: 'info', f: 'start-partition', value: { grudge: { n1: ['n3'] } } },
      { index: 1, time: 3.5e9, process: 'nemesis', type: 'info', f: 'stop-partition', value: ['n1', 'n2'] },
      { index: 2, time: 3.5e9, process: 'nemesis', type: 'info', f: 'start-kill', value: ['n3'] },
      { index: 3, time: 3.5e9, process: 'nemesis', type: 'info', f: 'stop-kill', value: 'restarted' },
    ]);
  });
});
