import { describe, expect, it } from 'vitest';
import { cassandraJvmArgs, renderCassandraYaml } from './cassandraConfig';

describe('renderCassandraYaml', () => {
  const yaml = renderCassandraYaml({
    clusterName: 'atrium-test',
    host: '127.0.0.1',
    cqlPort: 19042,
    storagePort: 17010,
    dataDir: '/s/cassandra/data',
    commitlogDir: '/s/cassandra/commitlog',
    savedCachesDir: '/s/cassandra/saved_caches',
    hintsDir: '/s/cassandra/hints',
    cdcRawDir: '/s/cassandra/cdc_raw',
  });

  it('binds loopback on the configured ports and seeds itself', () => {
    expect(yaml).toContain('native_transport_port: 19042\n');
    expect(yaml).toContain('storage_port: 17010\n');
    expect(yaml).toContain('listen_address: 127.0.0.1\n');
    expect(yaml).toContain('- seeds: "127.0.0.1:17010"');
  });

  it('keeps every folder inside the state folder', () => {
    for (const key of ['commitlog_directory', 'saved_caches_directory', 'hints_directory', 'cdc_raw_directory']) {
      expect(yaml).toMatch(new RegExp(`^${key}: /s/cassandra/`, 'm'));
    }
    expect(yaml).toContain('data_file_directories:\n  - /s/cassandra/data\n');
  });

  it('uses SimpleSnitch (data centre "datacenter1") and a single token', () => {
    expect(yaml).toContain('endpoint_snitch: SimpleSnitch');
    expect(yaml).toContain('num_tokens: 1');
  });
});

describe('cassandraJvmArgs', () => {
  const args = cassandraJvmArgs({
    heapMb: 768,
    yamlPath: '/s/conf/cassandra.yaml',
    logbackPath: '/s/conf/logback.xml',
    logDir: '/s/logs',
    storageDir: '/s/cassandra',
    jmxPort: 17209,
    libDir: '/c/lib',
    jammJar: '/c/lib/jamm-0.4.0.jar',
  });

  it('starts CassandraDaemon with a fixed small heap and the generated config', () => {
    expect(args.at(-1)).toBe('org.apache.cassandra.service.CassandraDaemon');
    expect(args).toEqual(expect.arrayContaining(['-Xms768m', '-Xmx768m', '-Dcassandra.config=file:///s/conf/cassandra.yaml', '-javaagent:/c/lib/jamm-0.4.0.jar']));
    expect(args.slice(-3, -1)).toEqual(['-cp', '/c/lib/*']);
  });

  it('has the Java 17 module flags and the fast single-node start flags', () => {
    const joined = args.join(' ');
    expect(joined).toContain('--add-exports java.base/jdk.internal.misc=ALL-UNNAMED');
    expect(joined).toContain('--add-opens java.base/sun.nio.ch=ALL-UNNAMED');
    expect(args).toEqual(expect.arrayContaining(['-Dcassandra.skip_wait_for_gossip_to_settle=0', '-Dcassandra.ring_delay_ms=100', '-Dcassandra.jmx.local.port=17209']));
  });
});
