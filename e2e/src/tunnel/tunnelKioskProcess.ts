import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { SyncStatus } from '../../../kiosk-app/src/edge/index';
import { nodeInNetns } from '../../../provisioning/src/testing/tunnelRig';

/** A running `tunnelKiosk.ts` in a kiosk namespace: record events, read its sync status, kill it. */
export interface TunnelKiosk {
  pid: number;
  record(count: number): Promise<{ first: number; last: number }>;
  status(): Promise<SyncStatus>;
  /** Stops (`pause`) or restarts (`resume`) the upload loop; recorded events queue meanwhile. */
  sync(state: 'pause' | 'resume'): Promise<void>;
  /** SIGKILL (a power cut or reboot) or SIGTERM (a clean stop); resolves once it exited. */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

/** Starts the kiosk edge on `dataDir` inside namespace `ns` and waits for its ready line. */
export async function startTunnelKiosk(ns: string, dataDir: string): Promise<TunnelKiosk> {
  const [file, args] = nodeInNetns(ns, 'e2e/src/tunnel/tunnelKiosk.ts', [dataDir]);
  const child: ChildProcess = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`the tunnel kiosk did not answer in 60 s: ${stderr}`)), 60_000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      void exited.then(() => reject(new Error(`the tunnel kiosk exited: ${stderr}`)));
    });
  // One command at a time: each answer is the next line.
  let chain: Promise<unknown> = Promise.resolve();
  const ask = <T>(command: object): Promise<T> => {
    const answer = chain.then(async () => {
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return JSON.parse(await nextLine()) as T;
    });
    chain = answer.catch(() => undefined);
    return answer;
  };
  const ready = JSON.parse(await nextLine()) as { ready?: boolean };
  if (!ready.ready) throw new Error(`the tunnel kiosk did not start: ${stderr}`);
  return {
    pid: child.pid ?? -1,
    record: (count) => ask({ record: count }),
    status: () => ask({ status: true }),
    sync: async (state) => void (await ask({ sync: state })),
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
