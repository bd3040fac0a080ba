import type { KeyObject } from 'node:crypto';
import { signDeviceRequest } from '../sync/signRequest';
import type { UpdaterFetch } from './updateFeedClient';

/** Who signs the updater's requests. */
export interface DeviceSignedFetchOptions {
  deviceId: string;
  /** The current device key (read on every request, so a rotated key is picked up). */
  privateKey: () => KeyObject;
  /** The kiosk's corrected time, so a kiosk whose own clock is off still signs inside the gateway's skew window. */
  nowMs: () => number;
  /** Told the status of every answer (a health check counts a reachable gateway as a working link). */
  onAnswer?: (status: number) => void;
}

/**
 * The updater's fetch: every feed and artefact request signed as the device (RFC 9421, the
 * contracts' profile), because the gateway serves `/v1/updates` only to authenticated devices.
 */
export function deviceSignedFetch(options: DeviceSignedFetchOptions): UpdaterFetch {
  return async (url, init = {}) => {
    const headers = await signDeviceRequest({ method: 'GET', url, headers: init.headers ?? {} }, options.deviceId, options.privateKey(), options.nowMs());
    const response = await fetch(url, { headers, ...(init.signal ? { signal: init.signal } : {}) });
    options.onAnswer?.(response.status);
    return response;
  };
}
