import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinDir } from '../prerequisites';
import { isRecordAlive } from '../process/processRecord';
import { assertPortsFree } from '../process/assertPortsFree';
import { spawnDetached } from '../process/spawnDetached';
import type { Report } from '../progress';
import { portEnvName, type StackConfig } from '../stackConfig';
import { endpointsFor } from '../stackEndpoints';
import { StackError } from '../stackError';
import { waitUntilReady } from '../waitUntilReady';
import { liveRecords, shortError } from './serviceProcesses';
import type { ServiceStatus, StackService } from './stackService';

/** The longest unix socket path Linux accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

function paths(config: StackConfig): { root: string; data: string; socketDir: string } {
  const root = join(config.stateDir, 'postgres');
  return { root, data: join(root, 'data'), socketDir: join(root, 'run') };
}

/**
 * initdb and postgres refuse to run as root, so a root caller runs them as the `postgres` system
 * user (which the Debian package creates); anyone else runs them as themselves.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (flag: string): number => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return result.status === 0 ? Number(result.stdout.trim()) : Number.NaN;
  };
  const uid = lookup('-u');
  const gid = lookup('-g');
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid)) {
    throw new StackError(
      'MISSING_PREREQUISITE',
      'postgres is missing: running as root needs a `postgres` system user to run the server as',
      'install the PostgreSQL server (`apt-get install -y postgresql`, or `npm run setup`), which creates that user',
    );
  }
  return { uid, gid };
}

/** A superuser connection over the private unix socket (trust auth; the socket is mode 0700). */
function superuserClient(config: StackConfig): pg.Client {
  return new pg.Client({ host: paths(config).socketDir, port: config.ports.postgres, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
}

async function withClient<T>(client: pg.Client, use: (client: pg.Client) => Promise<T>): Promise<T> {
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the `atrium` role and the `atrium` and `ferretdb` databases if they are missing. */
async function bootstrap(config: StackConfig): Promise<void> {
  const { user, password, database, ferretdbDatabase } = config.postgres;
  await withClient(superuserClient(config), async (client) => {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;
    await client.query(`${role.rowCount ? 'ALTER' : 'CREATE'} ROLE ${user} LOGIN PASSWORD ${literal(password)}`);
    for (const db of [database, ferretdbDatabase]) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
      // CREATE DATABASE cannot run in a transaction or a DO block, hence the check first.
      if (!exists.rowCount) await client.query(`CREATE DATABASE ${db} OWNER ${user}`);
    }
  });
}

/** Server version as the application role sees it over TCP, i.e. through ATRIUM_PG_URL. */
async function serverVersion(config: StackConfig): Promise<string> {
  const client = new pg.Client({ connectionString: endpointsFor(config).postgresUrl, connectionTimeoutMillis: 2_000 });
  return withClient(client, async (c) => String((await c.query('SHOW server_version')).rows[0]?.server_version));
}

function initdb(config: StackConfig, bin: string, runAs: { uid: number; gid: number } | undefined, report: Report): void {
  const { root, data } = paths(config);
  report(`initdb into ${data} (first start only)`);
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(data, runAs.uid, runAs.gid);
  const result = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { encoding: 'utf8', cwd: root, ...(runAs ?? {}) },
  );
  if (result.status !== 0) throw new StackError('START_FAILED', `initdb failed:\n${result.stdout}${result.stderr}`);
}

export const postgresService: StackService = {
  name: 'postgres',
  dependsOn: [],
  // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for every client to leave.
  stopSignal: 'SIGINT',
  stopGraceMs: 20_000,

  prerequisites(): (() => void)[] {
    return [() => findPostgresBinDir(), () => serverUser()];
  },

  async fetch(): Promise<void> {
    // Nothing to download: the server comes from the Debian package.
  },

  async start(config: StackConfig, report: Report): Promise<void> {
    const bin = findPostgresBinDir();
    const runAs = serverUser();
    const { root, data, socketDir } = paths(config);
    const socketPath = join(socketDir, `.s.PGSQL.${config.ports.postgres}`);
    if (socketPath.length > MAX_SOCKET_PATH) {
      throw new StackError('BAD_ARGUMENT', `the PostgreSQL socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes`, 'set ATRIUM_STATE_DIR to a shorter folder');
    }
    // The folder itself stays 0755 so the postgres user can reach data/ and run/ inside it.
    mkdirSync(root, { recursive: true, mode: 0o755 });
    chmodSync(root, 0o755);
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    if (runAs) {
      chownSync(socketDir, runAs.uid, runAs.gid);
      const reachable = spawnSync('test', ['-x', root], runAs).status === 0;
      if (!reachable) {
        throw new StackError('START_FAILED', `the postgres user cannot enter ${root}`, 'make the folders above it world-executable, or set ATRIUM_STATE_DIR elsewhere');
      }
    }
    let record = liveRecords(config, 'postgres')[0];
    if (record) {
      report(`already running (pid ${record.pid}), reusing it`);
    } else {
      await assertPortsFree(config.host, [{ port: config.ports.postgres, what: 'postgres', envName: portEnvName(config.profile, 'postgres') }]);
      if (!existsSync(join(data, 'PG_VERSION'))) initdb(config, bin, runAs, report);
      const version = /\d+(\.\d+)+/.exec(spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[0] ?? 'unknown';
      record = spawnDetached({
        name: 'postgres',
        service: 'postgres',
        version,
        command: join(bin, 'postgres'),
        args: [
          '-D', data,
          '-c', `listen_addresses=${config.host}`,
          '-c', `port=${config.ports.postgres}`,
          '-c', `unix_socket_directories=${socketDir}`,
          '-c', 'unix_socket_permissions=0700',
          '-c', `cluster_name=atrium-${config.profile}`,
          // Logs go to stdout, which the stack appends to postgres.log.
          '-c', 'logging_collector=off',
        ],
        cwd: root,
        logFile: join(config.logsDir, 'postgres.log'),
        pidsDir: config.pidsDir,
        ...(runAs ? { runAs } : {}),
        meta: { port: config.ports.postgres },
      });
      report(`started (pid ${record.pid}) on ${config.host}:${config.ports.postgres}`);
    }
    const started = record;
    await waitUntilReady({
      what: 'PostgreSQL',
      check: () => withClient(superuserClient(config), (c) => c.query('SELECT 1')),
      timeoutMs: config.readyTimeoutMs,
      logFile: started.logFile,
      isAlive: () => isRecordAlive(started),
      report,
    });
    await bootstrap(config);
    await serverVersion(config);
  },

  async status(config: StackConfig): Promise<ServiceStatus> {
    const live = liveRecords(config, 'postgres');
    const base = { name: 'postgres' as const, endpoint: `${config.host}:${config.ports.postgres}`, pids: live.map((r) => r.pid) };
    try {
      const version = await serverVersion(config);
      return { ...base, up: true, version, detail: `database ${config.postgres.database}, socket ${paths(config).socketDir}` };
    } catch (error) {
      return { ...base, up: false, version: undefined, detail: live.length ? `not answering: ${shortError(error)}` : 'not running' };
    }
  },
};
