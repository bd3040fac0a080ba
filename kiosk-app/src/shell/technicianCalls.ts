import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtriumError } from '@atrium/contracts';
import { bridgeOk, type KioskBridgeCalls, type TechnicianStatus } from '../bridge';
import type { ShellDeps } from './shellDeps';

type TechnicianCalls = Pick<KioskBridgeCalls, 'technicianUnlock' | 'technicianStatus' | 'technicianSyncNow' | 'technicianExportDiagnostics'>;

/** PIN attempts and issued tokens; a burst of wrong PINs locks the pad for a while. */
class TechnicianAccess {
  private failures: number[] = [];
  private readonly tokens = new Map<string, number>();
  constructor(private readonly deps: ShellDeps) {}

  unlock(pin: string): string {
    const { technician } = this.deps.config;
    const now = this.deps.now().getTime();
    this.failures = this.failures.filter((t) => now - t < technician.lockoutMs);
    if (this.failures.length >= technician.maxAttempts) throw new AtriumError('RATE_LIMITED', 'Too many wrong PINs', { retryAfterS: Math.ceil(technician.lockoutMs / 1000) });
    const given = createHash('sha256').update(pin).digest();
    if (!timingSafeEqual(given, Buffer.from(technician.pinSha256, 'hex'))) {
      this.failures.push(now);
      throw new AtriumError('FORBIDDEN', 'Wrong PIN');
    }
    this.failures = [];
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, now + technician.tokenTtlMs);
    return token;
  }

  check(token: string): void {
    const expires = this.tokens.get(token);
    if (expires === undefined || expires < this.deps.now().getTime()) {
      this.tokens.delete(token);
      throw new AtriumError('FORBIDDEN', 'Technician session expired');
    }
  }
}

function status(deps: ShellDeps): TechnicianStatus {
  const sync = deps.edge.sync.status();
  const iface = deps.config.technician.vpnInterface;
  const interfaceUp = existsSync(`/sys/class/net/${iface}`);
  const recentContact = sync.lastContactAt !== null && deps.now().getTime() - sync.lastContactAt < 5 * 60_000;
  return {
    deviceId: deps.config.edge.gateway.deviceId,
    kioskId: deps.config.edge.outbox.kioskId,
    version: deps.config.kiosk.version,
    vpn: { up: interfaceUp && recentContact, detail: `${iface} ${interfaceUp ? 'present' : 'absent'}, gateway ${recentContact ? 'reached' : 'not reached'} in the last 5 min` },
    sync: { online: sync.online, link: sync.link, uploading: sync.uploading },
    queue: sync.queue,
    lastSequence: sync.lastSequence,
    ackedThrough: sync.ackedThrough,
    lastSyncAt: sync.lastSuccessAt === null ? null : new Date(sync.lastSuccessAt).toISOString(),
    lastError: sync.lastError === null ? null : JSON.stringify(sync.lastError),
  };
}

/** The technician overlay's calls: every one but unlock needs a fresh token. */
export function technicianCalls(deps: ShellDeps): TechnicianCalls {
  const access = new TechnicianAccess(deps);
  return {
    async technicianUnlock({ pin }) {
      return bridgeOk({ token: access.unlock(pin) });
    },
    async technicianStatus({ token }) {
      access.check(token);
      return bridgeOk(status(deps));
    },
    async technicianSyncNow({ token }) {
      access.check(token);
      deps.edge.sync.requestSync();
      return bridgeOk(status(deps));
    },
    async technicianExportDiagnostics({ token }) {
      access.check(token);
      const dir = join(deps.config.edge.store.dataDir, 'diagnostics');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const at = deps.now();
      const fileName = `diagnostics-${at.toISOString().replace(/[:.]/g, '-')}.json`;
      // No shopper data and no key material: status, counters, recent rejections, content position.
      const bundle = {
        exportedAt: at.toISOString(),
        status: status(deps),
        sync: deps.edge.sync.status(),
        outbox: deps.edge.outbox.stats(),
        recentRejections: deps.edge.outbox.recentRejections(20),
        content: deps.content.feedPosition(),
        node: { version: process.versions.node, platform: process.platform, uptimeS: Math.round(process.uptime()) },
      };
      const text = `${JSON.stringify(bundle, null, 2)}\n`;
      const savedTo = join(dir, fileName);
      writeFileSync(savedTo, text, { mode: 0o600 });
      return bridgeOk({ fileName, savedTo, bytes: Buffer.byteLength(text) });
    },
  };
}
