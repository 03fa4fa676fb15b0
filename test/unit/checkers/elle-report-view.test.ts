import { describe, expect, it } from 'vitest';
import { checkElle } from '../../../checkers/elle/elle-checker.js';
import { checkKafkaQueue } from '../../../checkers/kafka/kafka-queue-checker.js';
import type { Op } from '../../../checkers/history/op.js';
import { cycleSvg, renderElleView } from '../../../reports/views/elle.js';
import type { ElleDetails } from '../../../checkers/elle/elle-run.js';
import { HistoryBuilder } from './elle-history-dsl.js';

describe('elle report view', () => {
  it('draws each cycle with its explanation and the models ruled out', () => {
    const h = new HistoryBuilder().txn(0, 'ax1ay1').txn(1, 'ax2ry').txn(2, 'rx12').txn(3, 'ax3', 'fail').txn(4, 'rx123').ops();
    const r = checkElle(h, 'list-append', { consistencyModels: ['serializable'] });
    const html = renderElleView(r)!;
    expect(html).toContain('<svg');
    expect(html).toContain('G-single-item #1');
    // The aborted read (G1a) is the weakest violation: read committed is out, and all above it.
    expect(html).toContain('rule out <b class="kz-elle-not">read-committed</b> and so also');
    expect(html).toMatch(/and so also [^<]*serializable/);
    expect(html).toContain('However, T2 &lt; T1');
    expect(html).toContain('G1a');
    expect(html).toContain('an aborted read');
    // Self-contained: no external resources.
    expect(html).not.toMatch(/<script src|<link |@import|url\(http/);
  });

  it('draws one arrow per step, coloured by relation, with nodes named as in the text', () => {
    const r = checkElle(new HistoryBuilder().txn(0, 'ax1ry').txn(1, 'ay1rx').ops(), 'list-append');
    const cycle = (r.details as ElleDetails).cycles[0]!;
    const svg = cycleSvg(cycle);
    expect(svg.match(/marker-end=/g)).toHaveLength(cycle.steps.length);
    expect(svg.match(/<circle/g)).toHaveLength(cycle.txns.length);
    expect(svg).toContain('marker-end="url(#kz-elle-arrow-rw)"');
    expect(svg).toContain('>T1</text>');
  });

  it('escapes values from the history', () => {
    const h: Op[] = [
      { index: 0, process: 0, type: 'invoke', f: 'txn', value: [['append', '<x>', 1], ['r', 'y', null]] },
      { index: 1, process: 0, type: 'ok', f: 'txn', value: [['append', '<x>', 1], ['r', 'y', null]] },
      { index: 2, process: 1, type: 'invoke', f: 'txn', value: [['append', 'y', 1], ['r', '<x>', null]] },
      { index: 3, process: 1, type: 'ok', f: 'txn', value: [['append', 'y', 1], ['r', '<x>', null]] },
    ];
    const html = renderElleView(checkElle(h, 'list-append'))!;
    expect(html).not.toContain('<x>');
    expect(html).toContain('&#60;x&#62;');
  });

  it('renders nothing for a valid check or another checker', () => {
    expect(renderElleView(checkElle(new HistoryBuilder().txn(0, 'ax1').txn(1, 'rx1').ops(), 'list-append'))).toBeNull();
    expect(renderElleView({ checker: 'linearizability', model: 'x', valid: false, anomalyTypes: [], anomalies: [], summary: '' })).toBeNull();
  });

  it('shows Kafka queue cycles the same way', () => {
    const h: Op[] = [
      { index: 0, process: 0, type: 'invoke', f: 'txn', value: [['send', 'x', 'a'], ['poll']] },
      { index: 1, process: 1, type: 'invoke', f: 'txn', value: [['send', 'y', 'b'], ['poll']] },
      { index: 2, process: 0, type: 'ok', f: 'txn', value: [['send', 'x', [0, 'a']], ['poll', { y: [[0, 'b']] }]] },
      { index: 3, process: 1, type: 'ok', f: 'txn', value: [['send', 'y', [0, 'b']], ['poll', { x: [[0, 'a']] }]] },
    ];
    const html = renderElleView(checkKafkaQueue(h))!;
    expect(html).toContain('G1c #1');
    expect(html).toContain('which was polled by');
  });
});
