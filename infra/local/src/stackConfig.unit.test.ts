import { describe, expect, it } from 'vitest';
import { kafkaBrokerPort, kafkaControllerPort, portEnvName, resolvePorts, resolveStackConfig, withDependants, withDependencies } from './stackConfig';
import { endpointsFor, endpointsFromEnv, endpointsToEnv } from './stackEndpoints';

const paths = { root: '/repo', cacheDir: '/repo/.cache', migrationsDir: '/repo/infra/migrations' };

describe('resolvePorts', () => {
  it('gives dev the documented defaults', () => {
    expect(resolvePorts('dev', 1, {})).toEqual({
      kafka: 9092,
      kafkaController: 9093,
      cassandraCql: 9042,
      cassandraStorage: 7010,
      cassandraJmx: 7209,
      postgres: 5433,
      ferretdb: 27017,
    });
  });

  it('puts the test profile 10000 above dev', () => {
    const ports = resolvePorts('test', 1, {});
    expect([ports.kafka, ports.cassandraCql, ports.postgres, ports.ferretdb]).toEqual([19092, 19042, 15433, 37017]);
  });

  it('lets a profile-named env var move one port without moving the other profile', () => {
    const env = { ATRIUM_KAFKA_PORT: '29092', ATRIUM_TEST_PG_PORT: '25433' };
    expect(resolvePorts('dev', 1, env).kafka).toBe(29092);
    expect(resolvePorts('dev', 1, env).postgres).toBe(5433);
    expect(resolvePorts('test', 1, env).kafka).toBe(19092);
    expect(resolvePorts('test', 1, env).postgres).toBe(25433);
    expect(portEnvName('test', 'cassandraCql')).toBe('ATRIUM_TEST_CASSANDRA_PORT');
  });

  it('spaces three brokers two ports apart, interleaved with their controllers', () => {
    const ports = resolvePorts('dev', 3, {});
    expect([1, 2, 3].map((n) => kafkaBrokerPort(ports, n))).toEqual([9092, 9094, 9096]);
    expect([1, 2, 3].map((n) => kafkaControllerPort(ports, n))).toEqual([9093, 9095, 9097]);
  });

  it('rejects a port that is not a port, and two services on one port', () => {
    expect(() => resolvePorts('dev', 1, { ATRIUM_PG_PORT: 'abc' })).toThrow(/ATRIUM_PG_PORT=abc/);
    expect(() => resolvePorts('dev', 1, { ATRIUM_PG_PORT: '70000' })).toThrow(/between 1 and 65535/);
    expect(() => resolvePorts('dev', 1, { ATRIUM_FERRETDB_PORT: '5433' })).toThrow(/port 5433 is configured for both postgres and ferretdb/);
    // Broker 2 would take the controller's neighbour 9094 only with 3 brokers.
    expect(() => resolvePorts('dev', 3, { ATRIUM_CASSANDRA_PORT: '9094' })).toThrow(/kafka broker 2 and cassandra CQL/);
    expect(() => resolvePorts('dev', 1, { ATRIUM_CASSANDRA_PORT: '9094' })).not.toThrow();
  });
});

describe('resolveStackConfig', () => {
  it('keeps each profile in its own state folder', () => {
    expect(resolveStackConfig({ profile: 'dev', brokers: 1 }, {}, paths).stateDir).toBe('/repo/.state/dev');
    expect(resolveStackConfig({ profile: 'test', brokers: 1 }, {}, paths).stateDir).toBe('/repo/.state/test');
    expect(resolveStackConfig({ profile: 'test', brokers: 1 }, { ATRIUM_STATE_DIR: '/tmp/s' }, paths).pidsDir).toBe('/tmp/s/test/pids');
  });

  it('brings dependencies along with --only, in start order', () => {
    expect(withDependencies(['ferretdb'])).toEqual(['postgres', 'ferretdb']);
    expect(withDependencies(['cassandra', 'kafka'])).toEqual(['kafka', 'cassandra']);
    expect(withDependencies(undefined)).toEqual(['postgres', 'ferretdb', 'kafka', 'cassandra']);
  });

  it('stops dependants along with `down --only`, and nothing else', () => {
    expect(withDependants(['postgres'])).toEqual(['postgres', 'ferretdb']);
    expect(withDependants(['ferretdb'])).toEqual(['ferretdb']);
    expect(withDependants(['kafka'])).toEqual(['kafka']);
  });

  it('reads keyspace replication from configuration', () => {
    const config = resolveStackConfig({ profile: 'dev', brokers: 1 }, { ATRIUM_CASSANDRA_REPLICATION: 'NetworkTopologyStrategy:eu=3' }, paths);
    expect(config.cassandra.replication).toEqual({ strategy: 'NetworkTopologyStrategy', dataCenters: { eu: 3 } });
    expect(() => resolveStackConfig({ profile: 'dev', brokers: 1 }, { ATRIUM_CASSANDRA_REPLICATION: 'Everywhere:1' }, paths)).toThrow(/unknown strategy/);
  });
});

describe('stack endpoints', () => {
  it('describe the test stack and survive a round trip through env vars', () => {
    const endpoints = endpointsFor(resolveStackConfig({ profile: 'test', brokers: 3 }, {}, paths));
    const env = endpointsToEnv(endpoints);
    expect(env).toEqual({
      ATRIUM_KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096',
      ATRIUM_CASSANDRA_CONTACT_POINTS: '127.0.0.1:19042',
      ATRIUM_CASSANDRA_DC: 'datacenter1',
      ATRIUM_CASSANDRA_KEYSPACE: 'atrium',
      ATRIUM_PG_URL: 'postgres://atrium:atrium@127.0.0.1:15433/atrium',
      ATRIUM_MONGO_URL: 'mongodb://127.0.0.1:37017/atrium',
    });
    expect(endpointsFromEnv(env)).toEqual(endpoints);
  });

  it('name every missing variable when read outside the int project', () => {
    expect(() => endpointsFromEnv({ ATRIUM_PG_URL: 'x' })).toThrow(/ATRIUM_KAFKA_BROKERS, ATRIUM_CASSANDRA_CONTACT_POINTS, ATRIUM_CASSANDRA_DC, ATRIUM_CASSANDRA_KEYSPACE, ATRIUM_MONGO_URL/);
  });
});
