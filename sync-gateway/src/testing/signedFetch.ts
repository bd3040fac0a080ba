import { UPLOAD_PATH, type ErrorCode, type UploadResponse } from '@atrium/contracts';
import type { AtriumCloudEvent } from '@atrium/contracts';
import { batchBody, signedUpload } from './unitServices';
import { signTestRequest, type TestDeviceKey } from './testSigner';

/** What an upload answered over real HTTP. */
export interface UploadResult {
  status: number;
  headers: Headers;
  body: UploadResponse & { code?: ErrorCode };
}

/** Signs and posts `events` (or raw bytes) to a running gateway. */
export async function postBatch(
  baseUrl: string,
  key: TestDeviceKey,
  events: readonly AtriumCloudEvent[] | string | Buffer,
  options: Parameters<typeof signedUpload>[3] = {},
): Promise<UploadResult> {
  const body = typeof events === 'string' || Buffer.isBuffer(events) ? events : batchBody(events);
  const upload = await signedUpload(key, baseUrl, body, options);
  const response = await fetch(upload.url, { method: 'POST', headers: upload.headers, body: new Uint8Array(upload.body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as UploadResult['body'] };
}

/** Signs and sends a GET to a running gateway. */
export async function signedGet(baseUrl: string, key: TestDeviceKey, path: string, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const url = `${baseUrl}${path}`;
  const headers = await signTestRequest(key, { method: 'GET', url });
  return fetch(url, { headers: { ...headers, ...extraHeaders } });
}

export { UPLOAD_PATH };
