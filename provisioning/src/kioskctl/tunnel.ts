import type { EnrolmentResult } from '../api/schemas';
import { runCommand } from '../wireguard/runCommand';
import { configureInterfaceAddressing, ensureWireguardInterface, setInterfaceKey, type WireguardImplementation } from '../wireguard/wgInterface';

/**
 * Brings the kiosk's tunnel up from its configuration file and key file: the interface (kernel
 * or wireguard-go), `wg setconf`, the private key, the address and a route per allowed IP. Each
 * step is idempotent, so this also repairs a half-configured interface.
 */
export async function bringTunnelUp(
  interfaceName: string,
  files: { config: string; privateKey: string; runDir: string },
  enrolment: EnrolmentResult,
): Promise<WireguardImplementation | 'existing'> {
  const here = {};
  const implementation = await ensureWireguardInterface(here, interfaceName, files.runDir);
  await runCommand(here, 'wg', ['setconf', interfaceName, files.config]);
  await setInterfaceKey(here, interfaceName, files.privateKey);
  await configureInterfaceAddressing(here, interfaceName, enrolment.wireguard.address, enrolment.wireguard.allowedIps);
  return implementation;
}
