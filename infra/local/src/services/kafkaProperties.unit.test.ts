import { describe, expect, it } from 'vitest';
import { renderServerProperties, type KafkaNodeSettings } from './kafkaProperties';

function properties(node: KafkaNodeSettings): Map<string, string> {
  const lines = renderServerProperties(node).split('\n').filter((l) => l && !l.startsWith('#'));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const base = { host: '127.0.0.1', logDir: '/state/kafka/node-1/data' };

describe('renderServerProperties', () => {
  it('makes one combined broker+controller with a standalone quorum and RF 1', () => {
    const p = properties({ ...base, nodeId: 1, clusterSize: 1, brokerPort: 19092, controllerPort: 19093, controllers: [{ nodeId: 1, port: 19093 }] });
    expect(p.get('process.roles')).toBe('broker,controller');
    expect(p.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:19093');
    expect(p.has('controller.quorum.voters')).toBe(false);
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(p.get('log.dirs')).toBe('/state/kafka/node-1/data');
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('min.insync.replicas')).toBe('1');
  });

  it('makes node 2 of three a voter in a static quorum with RF 3 and min ISR 2', () => {
    const controllers = [1, 2, 3].map((nodeId) => ({ nodeId, port: 9091 + 2 * nodeId }));
    const p = properties({ ...base, nodeId: 2, clusterSize: 3, brokerPort: 9094, controllerPort: 9095, controllers });
    expect(p.get('node.id')).toBe('2');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097');
    expect(p.has('controller.quorum.bootstrap.servers')).toBe(false);
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095');
    for (const key of ['default.replication.factor', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'share.coordinator.state.topic.replication.factor']) {
      expect(p.get(key)).toBe('3');
    }
    expect(p.get('min.insync.replicas')).toBe('2');
    expect(p.get('transaction.state.log.min.isr')).toBe('2');
    expect(p.get('unclean.leader.election.enable')).toBe('false');
  });
});
