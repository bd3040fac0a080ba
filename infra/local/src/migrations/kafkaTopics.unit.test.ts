import { describe, expect, it } from 'vitest';
import { topics } from '@atrium/contracts';
import { atriumTopics } from './kafkaTopics';

describe('the Kafka topics the stack creates', () => {
  it('given one broker, then every Atrium topic exists once, unreplicated, with kiosk events over three partitions', () => {
    const made = atriumTopics(1);
    expect(made.map((t) => t.topic).sort()).toEqual(Object.values(topics).sort());
    expect(made.find((t) => t.topic === topics.kioskEvents)).toMatchObject({ numPartitions: 3, replicationFactor: 1, configEntries: [] });
  });

  it('given three brokers, then every topic has three replicas and acknowledges only from two in sync', () => {
    for (const t of atriumTopics(3)) expect(t).toMatchObject({ replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] });
  });
});
