import { CircuitState } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { PoisonEventError } from '../kafka/failureKind';
import { createLogger } from '../log/logger';
import { createCrmClient, CrmUnavailableError, type CrmMember } from './crmClient';

const member: CrmMember = { memberRef: '0194f000-0000-7000-8000-000000000001', emailHash: 'a'.repeat(64), marketingConsent: false, consentTextVersion: '2026-01', enrolledAt: '2026-11-01T10:00:00.000Z', kioskId: 'mall-01-k001', mallId: 'mall-01' };
const config = { url: 'http://127.0.0.1:1', timeoutMs: 1_000, retries: 2, backoffInitialMs: 1, backoffMaxMs: 2, breakerAfter: 3, breakerHalfOpenMs: 60_000, erasurePollMs: 1_000 };

/** A fetch that answers from a script and counts calls (the CRM's side of the wire). */
function scripted(answer: (call: number) => number | Error) {
  const calls: RequestInit[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    calls.push(init);
    const a = answer(calls.length);
    if (a instanceof Error) throw a;
    return new Response('{}', { status: a });
  }) as unknown as typeof fetch;
  return { calls, client: createCrmClient(config, createLogger('test', 'silent'), fetchImpl) };
}

describe('CRM client', () => {
  it('given a CRM that accepts, when a member is sent, then it goes once with the member ref as idempotency key', async () => {
    const { calls, client } = scripted(() => 201);
    await client.upsertMember(member);
    expect(calls).toHaveLength(1);
    expect((calls[0]!.headers as Record<string, string>)['idempotency-key']).toBe(member.memberRef);
  });

  it('given an erasure, when the CRM does not know the member (404), then it counts as deleted', async () => {
    const { calls, client } = scripted(() => 404);
    await client.deleteMember(member.memberRef);
    expect(calls.map((c) => c.method)).toEqual(['DELETE']);
  });

  it('given a CRM that refuses the record (422), when sent, then it is poison at once, without retries', async () => {
    const { calls, client } = scripted(() => 422);
    await expect(client.upsertMember(member)).rejects.toBeInstanceOf(PoisonEventError);
    expect(calls).toHaveLength(1);
  });

  it('given a CRM that fails this record with 500, when sent, then it is retried and then poison (dead-lettered)', async () => {
    const { calls, client } = scripted(() => 500);
    await expect(client.upsertMember(member)).rejects.toBeInstanceOf(PoisonEventError);
    expect(calls).toHaveLength(3);
  });

  it('given a CRM that recovers within the retries, when sent, then it succeeds', async () => {
    const { calls, client } = scripted((n) => (n < 3 ? 503 : 201));
    await client.upsertMember(member);
    expect(calls).toHaveLength(3);
  });

  it('given an unreachable CRM, when sent, then it is "unavailable" (wait, not dead-letter), and the open circuit fails fast without calling', async () => {
    const { calls, client } = scripted(() => new TypeError('fetch failed'));
    await expect(client.upsertMember(member)).rejects.toBeInstanceOf(CrmUnavailableError);
    expect(client.circuit()).toBe(CircuitState.Open);
    const before = calls.length;
    await expect(client.upsertMember(member)).rejects.toBeInstanceOf(CrmUnavailableError);
    expect(calls.length).toBe(before);
  });
});
