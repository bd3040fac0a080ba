import { describe, expect, it } from 'vitest';
import type { FastifyError } from 'fastify';
import { AtriumError } from '@atrium/contracts';
import { toProblem } from './problemHandler';

const fastifyError = (fields: Partial<FastifyError>): FastifyError => Object.assign(new Error(fields.message ?? 'boom'), fields) as FastifyError;

describe('the ops API problem handler', () => {
  it('keeps the detail of a refusal and hides that of a server failure', () => {
    expect(toProblem(new AtriumError('CONFLICT', 'rollout r-1 is still open') as unknown as FastifyError, '/x')).toMatchObject({ status: 409, code: 'CONFLICT', detail: 'rollout r-1 is still open', instance: '/x' });
    expect(toProblem(new AtriumError('BACKEND_UNAVAILABLE', 'gateway at 10.0.0.1 refused') as unknown as FastifyError, '/x')).not.toHaveProperty('detail');
    expect(toProblem(fastifyError({ message: 'secret stack' }), '/x')).toEqual(expect.objectContaining({ status: 500, code: 'INTERNAL' }));
    expect(toProblem(fastifyError({ message: 'secret stack' }), '/x')).not.toHaveProperty('detail');
  });

  it('turns schema failures, body parsing errors and a lost unique-key race into catalogued codes', () => {
    const invalid = toProblem(fastifyError({ message: 'body/stages must be array', validation: [{ instancePath: '/stages', message: 'must be array' }] as FastifyError['validation'] }), '/ops/ota/rollouts');
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: '/stages', message: 'must be array' }] });
    expect(toProblem(fastifyError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), '/x')).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(toProblem(fastifyError({ code: '23505' }), '/x')).toMatchObject({ status: 409, code: 'CONFLICT' });
  });
});
