import type { KeyObject } from 'node:crypto';
import { isProblem, type Problem } from '@atrium/contracts';
import { provisioningPaths, type EnrolmentBody, type EnrolmentResult, type KeyRotationBody } from '../api/schemas';
import { signDeviceRequest } from '../signatures/deviceRequestSignature';

/** A refusal from the provisioning service, carrying its problem details. */
export class ProvisioningRefusal extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'ProvisioningRefusal';
    this.problem = problem;
  }
}

/** True for a refusal from the provisioning service (checked by shape, not class). */
export function isProvisioningRefusal(error: unknown): error is ProvisioningRefusal {
  return typeof error === 'object' && error !== null && isProblem((error as { problem?: unknown }).problem);
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the provisioning service answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    if (isProblem(body)) throw new ProvisioningRefusal(body);
    throw new Error(`the provisioning service answered ${response.status}`);
  }
  return body as T;
}

/** Calls a provisioning service at `baseUrl` (kiosk side). */
export function provisioningClient(baseUrl: string, timeoutMs = 15_000) {
  const url = (path: string): string => new URL(path, baseUrl).toString();
  return {
    /** POST /v1/enrolments. */
    async enrol(body: EnrolmentBody): Promise<EnrolmentResult> {
      const response = await fetch(url(provisioningPaths.enrolments), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return answer<EnrolmentResult>(response);
    },

    /** POST /v1/devices/:id/key-rotations, signed with the current (old) signing key. */
    async rotateKeys(deviceId: string, body: KeyRotationBody, currentKey: KeyObject, now: Date): Promise<EnrolmentResult> {
      const target = url(provisioningPaths.keyRotations(deviceId));
      const bytes = Buffer.from(JSON.stringify(body), 'utf8');
      const headers = await signDeviceRequest({ method: 'POST', url: target, headers: { 'content-type': 'application/json' }, body: bytes }, deviceId, currentKey, now);
      const response = await fetch(target, { method: 'POST', headers, body: bytes, signal: AbortSignal.timeout(timeoutMs) });
      return answer<EnrolmentResult>(response);
    },

    /** GET /healthz: the service's clock, for the kiosk's clock check. */
    async health(): Promise<{ status: string; serverTime: string }> {
      return answer(await fetch(url(provisioningPaths.health), { signal: AbortSignal.timeout(timeoutMs) }));
    },
  };
}

/** A client of the provisioning service. */
export type ProvisioningClient = ReturnType<typeof provisioningClient>;
