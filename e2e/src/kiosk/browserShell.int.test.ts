import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeviceKey } from '../../../kiosk-app/src/edge/testing/testDeviceKey';
import { rawX25519 } from '../../../kiosk-app/src/shell/piiSealer';
import { parseShellConfig } from '../../../kiosk-app/src/shell/shellConfig';
import { startKioskShell, type KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { buildRenderer } from './buildRenderer';
import { KIOSK_ID, until } from './kioskHarness';

/** The DevTools port Chromium wrote into its profile (a new one after each restart). */
async function devToolsPort(profile: string, previousPort?: string): Promise<string> {
  return until(() => {
    try {
      const value = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
      return value && value !== previousPort ? value : null;
    } catch {
      return null;
    }
  }, 'Chromium to open its DevTools port');
}

/** Evaluates an expression in the kiosk page over the DevTools protocol (no second client attached to the browser). */
async function evaluateInKioskPage(port: string, pageUrlPrefix: string, expression: string): Promise<unknown> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; url: string; webSocketDebuggerUrl: string }>;
  const target = targets.find((t) => t.type === 'page' && t.url.startsWith(pageUrlPrefix));
  if (!target) return undefined;
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
    return (await reply).result?.result?.value;
  } finally {
    ws.close();
  }
}

/** Polls the kiosk page until `expression` is true (a condition, bounded in time). */
async function untilInPage(port: string, prefix: string, expression: string, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await evaluateInKioskPage(port, prefix, expression).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the browser shell launches Chromium in kiosk mode and keeps it up', () => {
  let shell: KioskShell;
  let dataDir: string;
  let profile: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'atrium-shell-'));
    profile = join(dataDir, 'chromium');
    const key = makeTestDeviceKey(dataDir);
    shell = await startKioskShell(
      parseShellConfig({
        edge: {
          store: { dataDir, synchronous: 'NORMAL' },
          outbox: { kioskId: KIOSK_ID },
          sync: {},
          // Nothing listens here: the kiosk runs offline throughout.
          gateway: { url: 'http://127.0.0.1:9', deviceId: 'dev-shell', deviceKeyPath: key.pemPath },
        },
        http: { port: 0 },
        rendererDir: await buildRenderer(),
        kiosk: {},
        loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'k' },
        technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
        urgent: { enabled: false },
        browser: { launch: true, headless: true, userDataDir: profile, remoteDebuggingPort: 0 },
        seedDemoContent: true,
      }),
      { log: () => undefined },
    );
  });
  afterAll(async () => {
    await shell?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the shell, when it starts, then Chromium shows the attract loop from the shell with the bridge working', async () => {
    const port = await devToolsPort(profile);
    await untilInPage(port, shell.url, `location.href === ${JSON.stringify(shell.pageUrl)} && !!document.querySelector('[data-testid="attract-start"]')`, 'the attract loop');
    await evaluateInKioskPage(port, shell.url, `document.querySelector('[data-testid="attract-start"]').click()`);
    await untilInPage(port, shell.url, `!!document.querySelector('[data-testid="screen-home"]')`, 'the home screen');
    await until(() => shell.edge.outbox.watermarks().lastSequence >= 1, 'mall.session.started in the outbox');
  });

  it('given Chromium dies, when the shell notices, then it starts it again on the attract loop', async () => {
    const before = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
    const pid = shell.browser!.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => shell.browser!.starts === 2 && shell.browser!.pid !== undefined && shell.browser!.pid !== pid, 'a new Chromium');
    const port = await devToolsPort(profile, before);
    await untilInPage(port, shell.url, `!!document.querySelector('[data-testid="attract-start"]')`, 'the attract loop after the restart');
    expect(shell.browser!.starts).toBe(2);
  });
});
