import { describe, expect, it } from 'vitest';
import { parseCassandraReplication, replicationToCql } from './cassandraReplication';

describe('keyspace replication', () => {
  it('is SimpleStrategy RF 1 on a laptop', () => {
    expect(replicationToCql(parseCassandraReplication('SimpleStrategy:1'))).toBe("{'class': 'SimpleStrategy', 'replication_factor': 1}");
  });

  it('is NetworkTopologyStrategy with a factor per data centre in production', () => {
    expect(replicationToCql(parseCassandraReplication('NetworkTopologyStrategy:eu-west=3, eu-central=3'))).toBe(
      "{'class': 'NetworkTopologyStrategy', 'eu-west': 3, 'eu-central': 3}",
    );
  });

  it('rejects what Cassandra would reject later', () => {
    expect(() => parseCassandraReplication('SimpleStrategy:0')).toThrow(/positive integer/);
    expect(() => parseCassandraReplication('NetworkTopologyStrategy:')).toThrow(/at least one/);
    expect(() => parseCassandraReplication("NetworkTopologyStrategy:dc'1=3")).toThrow(/bad data-centre entry/);
  });
});
