import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Values firmware vendors leave in unset DMI fields; they identify nothing.
const PLACEHOLDERS = /^(|none|null|default string|to be filled by o\.e\.m\.|not specified|not applicable|system serial number|0+|0{8}-0{4}-0{4}-0{4}-0{12})$/i;

function readTrimmed(path: string): string | undefined {
  try {
    const value = readFileSync(path, 'utf8').trim();
    return PLACEHOLDERS.test(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

/**
 * What identifies this machine's hardware: DMI serials and UUID, and the MAC addresses of its
 * physical network cards (those with a `device` link; virtual ones come and go). Read from /sys,
 * so a disk image moved to another machine gives another answer; /etc/machine-id would not.
 */
export function readHardwareIdentity(sysRoot = '/sys'): string[] {
  const parts: string[] = [];
  for (const field of ['product_uuid', 'product_serial', 'board_serial', 'chassis_serial']) {
    const value = readTrimmed(join(sysRoot, 'class/dmi/id', field));
    if (value) parts.push(`dmi.${field}=${value.toLowerCase()}`);
  }
  const netDir = join(sysRoot, 'class/net');
  for (const nic of existsSync(netDir) ? readdirSync(netDir) : []) {
    if (!existsSync(join(netDir, nic, 'device'))) continue;
    const mac = readTrimmed(join(netDir, nic, 'address'));
    if (mac && mac !== '00:00:00:00:00:00') parts.push(`nic=${mac.toLowerCase()}`);
  }
  return parts;
}

/** The fingerprint sent at enrolment: SHA-256 (hex) of the identity parts, order-independent. */
export function fingerprintOf(parts: readonly string[]): string {
  if (parts.length === 0) throw new Error('no hardware identity could be read (no DMI data, no physical network card); pass --hardware-id');
  return createHash('sha256').update([...new Set(parts)].sort().join('\n'), 'utf8').digest('hex');
}

/** This machine's fingerprint, or the fingerprint of an explicit hardware id (test rigs, VMs). */
export function hardwareFingerprint(explicitId?: string): string {
  return fingerprintOf(explicitId ? [`explicit=${explicitId}`] : readHardwareIdentity());
}
