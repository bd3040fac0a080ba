import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ServiceConfig } from '../config/serviceConfig';
import { Value } from '@sinclair/typebox/value';
import { buildApp } from './buildApp';
import { openApiDocument } from './openApiDocument';

// These requests are all refused before any query, so the pool is never connected.
const config = Value.Default(ServiceConfig, { pgUrl: 'postgres://unused@127.0.0.1:1/unused', adminToken: 'a'.repeat(40) }) as ServiceConfig;
let app: FastifyInstance;
const pool = new pg.Pool({ connectionString: config.pgUrl });

beforeAll(async () => {
  app = await buildApp({ config, pool, now: () => new Date('2026-03-01T10:00:00Z'), metrics: new Registry() });
});
afterAll(async () => {
  await app.close();
  await pool.end();
});

describe('provisioning HTTP surface', () => {
  it('given no admin token, when ops routes are called, then FORBIDDEN as problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin/enrolment-tokens' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', type: 'urn:atrium:problem:forbidden' });
  });

  it('given a wrong admin token, when ops routes are called, then FORBIDDEN', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin/devices', headers: { authorization: `Bearer ${'b'.repeat(40)}` } });
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('given an enrolment with malformed keys, when posted, then VALIDATION_FAILED naming the fields', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/enrolments', payload: { token: 'x', wireguardPublicKey: 'nope', signingPublicKey: 'nope', hardwareFingerprint: 'nope' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().errors.length).toBeGreaterThan(0);
  });

  it('given a body that is not JSON, when posted, then BODY_MALFORMED', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: { 'content-type': 'application/json' }, payload: '{"token":' });
    expect(res.json()).toMatchObject({ code: 'BODY_MALFORMED', status: 400 });
  });

  it('given another media type, when posted, then UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
  });

  it('given an oversized body, when posted, then BODY_TOO_LARGE', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: 'x'.repeat(20_000) }) });
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_LARGE', status: 413 });
  });

  it('given an unknown route, when called, then NOT_FOUND as problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('keeps the committed openapi.json equal to what the routes generate', async () => {
    const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../../openapi.json', import.meta.url)), 'utf8'));
    expect(committed).toEqual(openApiDocument(app));
  });
});
