import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_SECRET_HEADER, BRIDGE_WS_PATH, BRIDGE_WS_PROTOCOL, bridgeMethods, bridgeOk, type KioskBridgeCalls } from '../bridge';
import { startBridgeServer, type BridgeServer } from './bridgeServer';

const SESSION = '0190a5b2-7c3e-7d4f-8a1b-2c3d4e5f6a7b';
// The server is what is under test here; every call simply echoes its validated input.
const echo = Object.fromEntries(bridgeMethods.map((m) => [m, async (input: unknown) => bridgeOk({ method: m, input })])) as unknown as KioskBridgeCalls;

/** A raw HTTP request, so Host and Origin can be set as an attacker would. */
function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method: options.method ?? 'POST', path: options.path, headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the bridge server on loopback', () => {
  let server: BridgeServer;
  let dir: string;
  let host: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atrium-bridge-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
    server = await startBridgeServer({ host: '127.0.0.1', port: 0, rendererDir: dir, calls: echo, currentState: () => [{ kind: 'sync', online: false, queued: 3 }] });
    host = server.url.slice('http://'.length);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    send(server.url, { path: `/bridge/${method}`, headers: { host, 'content-type': 'application/json', [BRIDGE_SECRET_HEADER]: server.secret, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('given the secret, when a valid call comes, then its result comes back', async () => {
    const res = await call('submitFeedback', { sessionId: SESSION, rating: 3 });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { method: 'submitFeedback', input: { sessionId: SESSION, rating: 3 } } });
  });

  it('given no secret or a wrong one, when a call comes, then 403 problem+json', async () => {
    for (const secret of ['', 'f'.repeat(64)]) {
      const res = await call('kioskInfo', {}, { [BRIDGE_SECRET_HEADER]: secret });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body).code).toBe('FORBIDDEN');
    }
  });

  it('given another origin or a rebound host name, when a call comes with the secret, then 403', async () => {
    expect((await call('kioskInfo', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('kioskInfo', {}, { host: `evil.example:${new URL(server.url).port}` })).status).toBe(403);
  });

  it('given a bad input, when a call comes, then VALIDATION_FAILED names the field', async () => {
    const res = JSON.parse((await call('claimOffer', { sessionId: 'nope', offerId: 'offer-1' })).body);
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(res.error.errors.map((e: { path: string }) => e.path)).toContain('/sessionId');
  });

  it('given malformed, oversize or non-JSON bodies, when sent, then clear 4xx answers', async () => {
    expect((await call('kioskInfo', '{')).status).toBe(400);
    expect((await call('kioskInfo', JSON.stringify({ pad: 'x'.repeat(70_000) }))).status).toBe(413);
    expect((await call('kioskInfo', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('given a path outside the renderer, when asked for, then 404; the page itself comes with hardening headers', async () => {
    expect((await send(server.url, { method: 'GET', path: '/../../etc/passwd', headers: { host } })).status).toBe(404);
    const page = await send(server.url, { method: 'GET', path: '/', headers: { host } });
    expect(page.status).toBe(200);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('given the notice socket, when opened without the secret it is refused; with it, the current state arrives first', async () => {
    const url = `${server.url.replace('http', 'ws')}${BRIDGE_WS_PATH}`;
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url, [BRIDGE_WS_PROTOCOL]);
        ws.on('open', () => resolve('opened'));
        ws.on('error', reject);
      }),
    ).rejects.toThrow(/403/);
    const first = await new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(url, [BRIDGE_WS_PROTOCOL, `secret.${server.secret}`], { origin: server.url });
      ws.on('message', (data) => {
        resolve(JSON.parse(String(data)));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(first).toEqual({ kind: 'sync', online: false, queued: 3 });
  });
});
