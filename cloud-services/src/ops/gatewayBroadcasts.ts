import { AtriumError, errorCatalogue, isProblem, type ErrorCode, type UrgentMessage } from '@atrium/contracts';

/** A broadcast as the gateway's admin listener takes it (`POST /admin/v1/broadcasts`). */
export interface UrgentBroadcast {
  message: UrgentMessage;
  mallId?: string;
  kioskIds?: string[];
}

/** Hands broadcasts to the gateway's urgent channel. */
export interface BroadcastPublisher {
  publish(broadcast: UrgentBroadcast): Promise<void>;
}

/**
 * Publishes through the sync gateway's admin API rather than writing its table and NOTIFY channel
 * directly: the gateway owns the urgent channel (which emergencies stay in force for kiosks that
 * connect later, the NOTIFY payload limit, the fan-out to every instance), so the ops API is just
 * a client of that one documented endpoint. Gateway refusals come back as the gateway's problem
 * code; an unreachable or failing gateway is BACKEND_UNAVAILABLE.
 */
export function gatewayBroadcastPublisher(adminUrl: string, timeoutMs = 5_000, fetchImpl: typeof fetch = fetch): BroadcastPublisher {
  const url = `${adminUrl.replace(/\/$/, '')}/admin/v1/broadcasts`;
  return {
    async publish(broadcast) {
      let response: Response;
      try {
        response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(broadcast), signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new AtriumError('BACKEND_UNAVAILABLE', 'The sync gateway could not be reached', { cause: error });
      }
      if (response.status === 202) {
        await response.arrayBuffer();
        return;
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (response.status < 500 && isProblem(body) && body.code in errorCatalogue) {
        throw new AtriumError(body.code as ErrorCode, body.detail ?? `The sync gateway refused the broadcast (${response.status})`, body.errors ? { errors: body.errors } : {});
      }
      throw new AtriumError('BACKEND_UNAVAILABLE', `The sync gateway answered ${response.status}`);
    },
  };
}
