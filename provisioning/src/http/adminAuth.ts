import { createHash, timingSafeEqual } from 'node:crypto';
import { AtriumError } from '@atrium/contracts';
import type { FastifyRequest } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * An onRequest hook that admits only `Authorization: Bearer <admin token>`. Comparing digests
 * in constant time keeps the token's length and content from leaking through timing.
 */
export function requireAdminToken(adminToken: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(adminToken);
  return async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) throw new AtriumError('FORBIDDEN', 'admin routes need Authorization: Bearer <ops admin token>');
    if (!timingSafeEqual(digest(match[1]!), expected)) throw new AtriumError('FORBIDDEN', 'the admin token is not valid');
  };
}
