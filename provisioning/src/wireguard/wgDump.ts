/** One peer as `wg show <if> dump` reports it. */
export interface WgPeerStatus {
  publicKey: string;
  endpoint: string | null;
  allowedIps: string[];
  /** Unix seconds of the last handshake; 0 when none yet. */
  latestHandshakeS: number;
  rxBytes: number;
  txBytes: number;
  persistentKeepaliveS: number | null;
}

/** The interface line of a dump, without its private key (which is dropped while parsing). */
export interface WgInterfaceStatus {
  publicKey: string;
  listenPort: number;
  peers: WgPeerStatus[];
}

const none = (value: string | undefined): string | null => (value === undefined || value === '(none)' || value === '' ? null : value);

/**
 * Parses `wg show <if> dump`: a tab-separated interface line (private key, public key, listen
 * port, fwmark) then one line per peer (public key, preshared key, endpoint, allowed ips,
 * latest handshake, rx, tx, keepalive). The private key is never kept.
 */
export function parseWgDump(text: string): WgInterfaceStatus {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const head = lines[0]?.split('\t');
  if (!head || head.length < 4) throw new Error('wg dump has no interface line');
  const peers = lines.slice(1).map((line): WgPeerStatus => {
    const f = line.split('\t');
    if (f.length < 8) throw new Error(`wg dump peer line has ${f.length} fields, expected 8`);
    const allowed = none(f[3]);
    const keepalive = none(f[7]);
    return {
      publicKey: f[0]!,
      endpoint: none(f[2]),
      allowedIps: allowed ? allowed.split(',').map((s) => s.trim()) : [],
      latestHandshakeS: Number(f[4]),
      rxBytes: Number(f[5]),
      txBytes: Number(f[6]),
      persistentKeepaliveS: keepalive === null || keepalive === 'off' ? null : Number(keepalive),
    };
  });
  return { publicKey: head[1]!, listenPort: Number(head[2]), peers };
}
