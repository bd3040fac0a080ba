import { describe, expect, it } from 'vitest';
import { formatHops, hopBreakdown, latencyTimeline, type EventPoints } from './pipelineHops';

const point = (recorded: number, extra: Partial<EventPoints>): EventPoints => ({ event: recorded + 5, recorded, ...extra });

describe('the pipeline latency breakdown', () => {
  it('given events seen at every point, when broken down, then each hop is the time between its two points', () => {
    const points = [
      point(0, { received: 10, produced: 12, kafkaAcked: 20, writerStarted: 50, inserted: 51, applied: 70, committed: 80, visible: 75 }),
      point(100, { received: 130, produced: 131, kafkaAcked: 135, writerStarted: 200, inserted: 202, applied: 230, committed: 240, visible: 225 }),
    ];
    const hops = new Map(hopBreakdown(points).map((h) => [h.hop, h]));
    expect(hops.get('commit→gateway received (kiosk loop, sign, send)')).toMatchObject({ p50: 10, p99: 30, n: 2 });
    expect(hops.get('Kafka ack→writer batch start (fetch, queue)')).toMatchObject({ p50: 30, p99: 65 });
    expect(hops.get('commit→visible (machine clock)')).toMatchObject({ p50: 75, p99: 125 });
    expect(hops.get('event time→visible')).toMatchObject({ p50: 70, p99: 120 });
    expect(hops.get('kiosk clock correction (event time − machine time)')).toMatchObject({ p50: 5, p99: 5 });
  });

  it('given points a run did not observe (no debug logs), when broken down, then those hops are left out', () => {
    const hops = hopBreakdown([point(0, { produced: 40, inserted: 90, visible: 100 })]).map((h) => h.hop);
    expect(hops).toContain('produce→insert sent');
    expect(hops).not.toContain('received→produce (body, signature, plan)');
    expect(formatHops([{ hop: 'a→b', p50: 1, p99: 2 }])).toBe('a→b 1/2');
  });

  it('given events over several seconds, when laid out in time, then each bucket shows its median and worst latency', () => {
    const points = [point(0, { visible: 105 }), point(500, { visible: 1505 }), point(2500, { visible: 2705 })];
    expect(latencyTimeline(points, 2_000)).toBe('0s 100/1000 2s 200/200');
  });
});
