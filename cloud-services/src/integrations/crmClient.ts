import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, retry, TaskCancelledError, timeout, TimeoutStrategy, wrap, type CircuitState } from 'cockatiel';
import { PoisonEventError } from '../kafka/failureKind';
import type { Logger } from '../log/logger';
import type { CrmConfig } from './crmConfig';

/** What the CRM receives per enrolment (`POST /members`, `Idempotency-Key: <memberRef>`). */
export interface CrmMember {
  memberRef: string;
  emailHash: string;
  name?: string;
  email?: string;
  postcode?: string;
  marketingConsent: boolean;
  consentTextVersion: string;
  enrolledAt: string;
  kioskId: string;
  mallId: string;
}

/** The CRM answered with an error status. */
export class CrmHttpError extends Error {
  override readonly name = 'CrmHttpError';
  constructor(readonly status: number) {
    super(`CRM answered ${status}`);
  }
}

/** The CRM cannot be reached now (circuit open, timeouts, refused connections): wait, do not dead-letter. */
export class CrmUnavailableError extends Error {
  override readonly name = 'CrmUnavailableError';
}

/** Sends members to the CRM with a timeout per attempt, retries with backoff and a circuit breaker. */
export interface CrmClient {
  upsertMember(member: CrmMember): Promise<void>;
  /** Deletes a member at the CRM (erasure); a member the CRM does not know counts as deleted. */
  deleteMember(memberRef: string): Promise<void>;
  circuit(): CircuitState;
}

// No answer, or an answer that says "not now": the CRM is down or overloaded, not refusing this record.
const UNAVAILABLE_STATUSES = new Set([408, 429, 502, 503, 504]);
const isUnavailable = (error: Error) => error instanceof TaskCancelledError || (error instanceof CrmHttpError ? UNAVAILABLE_STATUSES.has(error.status) : true);
const isRetriable = (error: Error) => isUnavailable(error) || (error instanceof CrmHttpError && error.status >= 500);

/**
 * A CRM client on `fetch` and cockatiel: each attempt is cut off after `timeoutMs`; failures that
 * say the CRM is unreachable count towards the breaker, which after `breakerAfter` in a row fails
 * fast for `breakerHalfOpenMs` and then lets one trial through. Retries cover unreachability and
 * 5xx. Outcomes: an unreachable CRM (breaker open, or retries spent on timeouts or refused
 * connections) is `CrmUnavailableError`, so the forwarder pauses and its backlog reaches the CRM
 * once it is back; a CRM that keeps refusing this record (4xx at once, 5xx after the retries) is
 * poison, so the record goes to the dead-letter topic and the rest flow on.
 */
export function createCrmClient(config: CrmConfig, log: Logger, fetchImpl: typeof fetch = fetch): CrmClient {
  const breaker = circuitBreaker(handleWhen(isUnavailable), { halfOpenAfter: config.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(config.breakerAfter) });
  breaker.onStateChange((state) => log.warn({ circuit: state }, 'crm: circuit state changed'));
  const policy = wrap(
    retry(handleWhen((e) => isRetriable(e) && !(e instanceof BrokenCircuitError)), { maxAttempts: config.retries, backoff: new ExponentialBackoff({ initialDelay: config.backoffInitialMs, maxDelay: config.backoffMaxMs }) }),
    breaker,
    timeout(config.timeoutMs, TimeoutStrategy.Aggressive),
  );
  const base = `${config.url.replace(/\/$/, '')}/members`;
  const send = async (memberRef: string, init: RequestInit, accept: (status: number) => boolean) => {
    try {
      await policy.execute(async ({ signal }) => {
        const response = await fetchImpl(init.method === 'DELETE' ? `${base}/${encodeURIComponent(memberRef)}` : base, { ...init, signal });
        await response.arrayBuffer().catch(() => undefined);
        if (!accept(response.status)) throw new CrmHttpError(response.status);
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new CrmUnavailableError('CRM circuit is open');
      if (error instanceof CrmHttpError && !UNAVAILABLE_STATUSES.has(error.status)) {
        throw new PoisonEventError(`CRM refused member ${memberRef}: ${error.message}${error.status >= 500 ? ` after ${config.retries + 1} attempts` : ''}`);
      }
      throw new CrmUnavailableError(`CRM unreachable: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    upsertMember: (member) =>
      send(member.memberRef, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': member.memberRef }, body: JSON.stringify(member) }, (status) => status >= 200 && status < 300),
    deleteMember: (memberRef) => send(memberRef, { method: 'DELETE' }, (status) => (status >= 200 && status < 300) || status === 404),
    circuit: () => breaker.state,
  };
}
