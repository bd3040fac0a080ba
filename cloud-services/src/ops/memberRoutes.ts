import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AtriumError, Problem } from '@atrium/contracts';
import type { ErasureResult } from '../pii/memberKeyStore';

/** What the member routes need. */
export interface MemberRoutesDeps {
  /** Crypto-shreds a member's PII (`eraseMemberPii`); undefined for an unknown member. */
  erase(memberRef: string, now: Date): Promise<ErasureResult | undefined>;
  now?: () => Date;
}

const MemberRefParams = Type.Object({ memberRef: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }) });
const Erased = Type.Object({
  memberRef: Type.String(),
  /** Keys deleted by this request (0 when the member was already erased). */
  keysShredded: Type.Integer({ minimum: 0 }),
  erasedAt: Type.String({ format: 'date-time' }),
});

/** `DELETE /members/{memberRef}/pii`: erasure by crypto-shredding (idempotent). */
export function memberRoutes(deps: MemberRoutesDeps): FastifyPluginAsyncTypebox {
  const now = deps.now ?? (() => new Date());
  return async (app) => {
    app.delete(
      '/members/:memberRef/pii',
      {
        schema: {
          summary: "Erase a loyalty member's PII (crypto-shredding)",
          description:
            "Deletes the member's data keys (every enrolment with the same email hash), so the PII sealed to them in the loyalty view and the event store can no longer be opened; events and view rows stay. Repeating it changes nothing.",
          tags: ['members'],
          params: MemberRefParams,
          response: { 200: Erased, 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        const result = await deps.erase(request.params.memberRef.toLowerCase(), now());
        if (!result) throw new AtriumError('NOT_FOUND', `No loyalty member ${request.params.memberRef}`);
        request.log.info({ memberRef: result.memberRef, keysShredded: result.keysShredded }, 'member PII erased');
        return { memberRef: result.memberRef, keysShredded: result.keysShredded, erasedAt: result.erasedAt };
      },
    );
  };
}
