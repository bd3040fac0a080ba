import type { KeyObject } from 'node:crypto';
import { networkFailure, type UploadFailure } from '../../core/sync/syncFailure';
import { signDeviceRequest, type RequestToSign } from './signRequest';

/** Who signs a gateway request: the device, with its current key, at the kiosk's corrected time. */
export interface DeviceCredentials {
  deviceId: string;
  /** The device key, or a function returning the current one (see DeviceKeyFile, for rotation). */
  privateKey: KeyObject | (() => KeyObject);
}

/** A gateway reply read whole, or the network failure that stood in for one. */
export type GatewayReply = { ok: true; res: Response; text: string } | { ok: false; failure: UploadFailure };

/** The server's clock from a reply's `Date` header (whole seconds), or null. */
export function replyDateMs(res: Response): number | null {
  const ms = Date.parse(res.headers.get('date') ?? '');
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Sends one request to the gateway, signed as the device (RFC 9421), bounded by `timeoutMs`
 * and stopped by `signal`. A timeout or a connection failure comes back as a failure; an abort
 * by `signal` throws, so the caller's loop can stop cleanly.
 */
export async function gatewayFetch(request: RequestToSign, credentials: DeviceCredentials, context: { signal: AbortSignal; createdMs: number; timeoutMs: number }): Promise<GatewayReply> {
  const { privateKey } = credentials;
  const headers = await signDeviceRequest(request, credentials.deviceId, typeof privateKey === 'function' ? privateKey() : privateKey, context.createdMs);
  const timeout = AbortSignal.timeout(context.timeoutMs);
  try {
    const res = await fetch(request.url, { method: request.method, headers, ...(request.body ? { body: request.body as Uint8Array<ArrayBuffer> } : {}), signal: AbortSignal.any([context.signal, timeout]) });
    return { ok: true, res, text: await res.text() };
  } catch (err) {
    if (context.signal.aborted) throw err;
    return { ok: false, failure: networkFailure(err, timeout.aborted, context.timeoutMs) };
  }
}
