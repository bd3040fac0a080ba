import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestDeviceKey } from '../../kiosk-app/src/edge/testing/testDeviceKey';
import { rawX25519 } from '../../kiosk-app/src/shell/piiSealer';
import { parseShellConfig, type ShellConfig } from '../../kiosk-app/src/shell/shellConfig';
import { buildRenderer } from '../../e2e/src/kiosk/buildRenderer';

/** The Chromium flags of every bench launch: headless, and no outside address contacted. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A shell configuration over a fresh data folder with the demo mall (2,000 stores), offline. */
export async function benchShellConfig(): Promise<{ config: ShellConfig; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
  const key = makeTestDeviceKey(dataDir);
  const config = parseShellConfig({
    edge: {
      store: { dataDir, synchronous: 'NORMAL' },
      outbox: { kioskId: 'mall-01-k900' },
      sync: {},
      // No gateway: the bench measures the kiosk alone, and nothing leaves 127.0.0.1.
      gateway: { url: 'http://127.0.0.1:9', deviceId: 'dev-bench', deviceKeyPath: key.pemPath },
    },
    http: { port: 0 },
    rendererDir: await buildRenderer(),
    kiosk: { idleTimeoutS: 3600 },
    loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'bench' },
    technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
    urgent: { enabled: false },
    browser: { launch: false },
    seedDemoContent: true,
  });
  return { config, dataDir };
}

/** The q-th quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/** Rounds to two decimals for the results file. */
export const round2 = (n: number) => Math.round(n * 100) / 100;
