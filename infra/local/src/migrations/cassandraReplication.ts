/** Keyspace replication: configuration, not part of a migration file, so one file serves laptop and production. */
export type CassandraReplication =
  | { strategy: 'SimpleStrategy'; replicationFactor: number }
  | { strategy: 'NetworkTopologyStrategy'; dataCenters: Record<string, number> };

/**
 * Parses `SimpleStrategy:1` or `NetworkTopologyStrategy:dc1=3,dc2=3`
 * (the form of ATRIUM_CASSANDRA_REPLICATION).
 */
export function parseCassandraReplication(text: string): CassandraReplication {
  const [strategy, rest = ''] = text.trim().split(':', 2) as [string, string | undefined];
  const positive = (value: string, what: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`replication: ${what} must be a positive integer, got "${value}"`);
    return n;
  };
  if (strategy === 'SimpleStrategy') return { strategy, replicationFactor: positive(rest, 'replication factor') };
  if (strategy === 'NetworkTopologyStrategy') {
    const dataCenters: Record<string, number> = {};
    for (const pair of rest.split(',').filter((p) => p.trim() !== '')) {
      const [dc, rf] = pair.split('=').map((s) => s.trim());
      if (!dc || !/^[A-Za-z0-9_-]+$/.test(dc) || rf === undefined) throw new Error(`replication: bad data-centre entry "${pair}" (want dc=rf)`);
      dataCenters[dc] = positive(rf, `replication factor of ${dc}`);
    }
    if (Object.keys(dataCenters).length === 0) throw new Error('replication: NetworkTopologyStrategy needs at least one dc=rf');
    return { strategy, dataCenters };
  }
  throw new Error(`replication: unknown strategy "${strategy}" (want SimpleStrategy:<rf> or NetworkTopologyStrategy:<dc>=<rf>,...)`);
}

/** Renders the CQL map literal of a `WITH replication = …` clause. */
export function replicationToCql(replication: CassandraReplication): string {
  switch (replication.strategy) {
    case 'SimpleStrategy':
      return `{'class': 'SimpleStrategy', 'replication_factor': ${replication.replicationFactor}}`;
    case 'NetworkTopologyStrategy': {
      const dcs = Object.entries(replication.dataCenters).map(([dc, rf]) => `'${dc}': ${rf}`);
      return `{'class': 'NetworkTopologyStrategy', ${dcs.join(', ')}}`;
    }
    default: {
      const unreachable: never = replication;
      return unreachable;
    }
  }
}
