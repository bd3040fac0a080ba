import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../wireguard/runCommand';

/** The underlay: a bridge in the hub namespace, one veth pair per kiosk. Never routed outside. */
export const UNDERLAY = { hubAddress: '10.250.0.1', prefix: 24, kioskAddress: (i: number) => `10.250.0.${10 + i}` };

/** Names of one rig; the suffix keeps interfaces apart (wireguard-go's UAPI sockets are global). */
export interface RigNames {
  hubNs: string;
  hubInterface: string;
  kiosks: { ns: string; interfaceName: string; vethHub: string; vethKiosk: string }[];
}

/** The names of a rig with `kioskCount` kiosks; every interface name stays under 16 characters. */
export function rigNames(suffix: string, kioskCount: number): RigNames {
  return {
    hubNs: `atr-hub-${suffix}`,
    hubInterface: `ah${suffix}`,
    kiosks: Array.from({ length: kioskCount }, (_, i) => ({
      ns: `atr-k${i + 1}-${suffix}`,
      interfaceName: `ak${i + 1}${suffix}`,
      vethHub: `vh${i + 1}${suffix}`,
      vethKiosk: `vk${i + 1}${suffix}`,
    })),
  };
}

const ip = (...args: string[]): Promise<string> => runCommand({}, 'ip', args);

/** Creates the namespaces and links of a rig (undo with `destroyRig`, even after a failure). */
export async function createRig(names: RigNames): Promise<void> {
  const hub = names.hubNs;
  await ip('netns', 'add', hub);
  await ip('-n', hub, 'link', 'set', 'lo', 'up');
  await ip('-n', hub, 'link', 'add', 'br0', 'type', 'bridge');
  await ip('-n', hub, 'address', 'add', `${UNDERLAY.hubAddress}/${UNDERLAY.prefix}`, 'dev', 'br0');
  await ip('-n', hub, 'link', 'set', 'br0', 'up');
  for (const [i, kiosk] of names.kiosks.entries()) {
    await ip('netns', 'add', kiosk.ns);
    await ip('-n', kiosk.ns, 'link', 'set', 'lo', 'up');
    await ip('link', 'add', kiosk.vethHub, 'netns', hub, 'type', 'veth', 'peer', 'name', kiosk.vethKiosk, 'netns', kiosk.ns);
    await ip('-n', hub, 'link', 'set', kiosk.vethHub, 'master', 'br0', 'up');
    await ip('-n', kiosk.ns, 'address', 'add', `${UNDERLAY.kioskAddress(i + 1)}/${UNDERLAY.prefix}`, 'dev', kiosk.vethKiosk);
    await ip('-n', kiosk.ns, 'link', 'set', kiosk.vethKiosk, 'up');
  }
}

/** Cuts (down) or restores (up) kiosk `index`'s link at the hub side. */
export async function setKioskLink(names: RigNames, index: number, state: 'up' | 'down'): Promise<void> {
  await ip('-n', names.hubNs, 'link', 'set', names.kiosks[index]!.vethHub, state);
}

/** Stops the wireguard-go processes whose pid files lie in `runDirs` (each pid is ours). */
function stopWireguardGo(runDirs: readonly string[]): void {
  for (const dir of runDirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => /^wireguard-go\..+\.pid$/.test(f))) {
      const pid = Number(readFileSync(join(dir, file), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    }
  }
}

/**
 * Removes everything a rig made: wireguard-go processes (by their pid files), namespaces (which
 * takes their interfaces with them) and stale UAPI sockets. Safe to call on a half-made rig.
 */
export async function destroyRig(names: RigNames, runDirs: readonly string[]): Promise<void> {
  stopWireguardGo(runDirs);
  for (const ns of [names.hubNs, ...names.kiosks.map((k) => k.ns)]) {
    await ip('netns', 'del', ns).catch(() => undefined);
  }
  for (const k of names.kiosks) await ip('link', 'del', k.vethHub).catch(() => undefined);
  for (const name of [names.hubInterface, ...names.kiosks.map((k) => k.interfaceName)]) rmSync(`/var/run/wireguard/${name}.sock`, { force: true });
}
