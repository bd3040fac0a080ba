import { isProvisioningRefusal } from './provisioningClient';

/** What to do when talking to the provisioning service failed. */
export function nextStepForEnrolment(error: unknown, server: string): string {
  if (isProvisioningRefusal(error)) {
    const { code, detail } = error.problem;
    switch (code) {
      case 'TOKEN_INVALID':
        return 'check the token for typos (copy it again), or ask ops for a new one';
      case 'TOKEN_EXPIRED':
        return 'the token expired: ask ops for a new token and run the command again with it';
      case 'TOKEN_USED':
        return 'the token was used by another kiosk: ask ops for a new token for this kiosk';
      case 'TOKEN_SCOPE_MISMATCH':
        return `${detail ?? 'the token is for another mall or kiosk'}: check --mall/--kiosk, or ask ops for a token for this kiosk`;
      case 'APPROVAL_REQUIRED':
        return 'this kiosk looks like a copy or a re-enrolment: ask ops to approve it (give them the approval id above), then run the same command again, or add --wait-approval 600';
      case 'APPROVAL_REJECTED':
        return 'ops rejected this enrolment: call ops before trying again';
      case 'ADDRESS_POOL_EXHAUSTED':
        return "the mall's VPN address pool is full: ask ops to widen it or decommission old kiosks, then run the command again";
      case 'VALIDATION_FAILED':
        return 'kioskctl and the server disagree on the request format: update kioskctl';
      default:
        return `the server refused (${code}); run the command again, and if it repeats, send ops the output of kioskctl diag --json`;
    }
  }
  return `check that this kiosk can reach ${server} (network cable, proxy, firewall; try: curl ${new URL('/healthz', server).toString()}), then run the command again`;
}

/** What to do when bringing the tunnel up failed. */
export function nextStepForTunnel(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not installed/.test(message)) return 'install WireGuard: run infra/local/bin/install-wireguard.sh as root (wireguard-tools, wireguard-go, iproute2), then run the command again';
  if (/Operation not permitted|permission denied|EPERM|EACCES/i.test(message)) return 'run kioskctl as root (it creates a network interface)';
  if (/\/dev\/net\/tun/.test(message)) return 'this machine has no /dev/net/tun; enable the TUN device (or load the wireguard kernel module)';
  return 'run kioskctl diag for details; the command is safe to run again';
}

/** What to do when the gateway answered through the tunnel but refused this kiosk. */
export function nextStepForGatewayRefusal(code: string): string {
  switch (code) {
    case 'DEVICE_REVOKED':
      return 'ops revoked this kiosk: ask ops for a new token, run kioskctl enrol with it, and ask ops to approve the re-enrolment; queued events stay on the kiosk meanwhile';
    case 'DEVICE_UNKNOWN':
      return 'the gateway does not know this device: ask ops whether it was decommissioned, then enrol again with a new token';
    case 'SIGNATURE_EXPIRED':
      return "the kiosk clock is too far off the gateway's: fix the time (NTP), then run kioskctl up";
    case 'SIGNATURE_INVALID':
      return 'the gateway does not accept this signing key: if a key rotation was interrupted run kioskctl rotate-keys, else enrol again with a new token';
    case 'RATE_LIMITED':
    case 'BACKEND_UNAVAILABLE':
    case 'SHUTTING_DOWN':
      return 'the gateway is busy or restarting: run kioskctl status in a minute';
    default:
      return `the gateway refused (${code}): send ops the output of kioskctl diag --json`;
  }
}

/** What to do when the gateway did not accept the probe through the tunnel. */
export function nextStepForGateway(handshakeSeen: boolean, refusal: string | null = null): string {
  if (refusal) return nextStepForGatewayRefusal(refusal);
  return handshakeSeen
    ? 'the tunnel is up but the gateway does not answer: ask ops whether the sync gateway runs on the hub; kioskctl status shows when it starts answering'
    : 'no WireGuard handshake with the hub: check that UDP to the hub endpoint is allowed by the mall network firewall, then run kioskctl up (or the same enrol command) again';
}
