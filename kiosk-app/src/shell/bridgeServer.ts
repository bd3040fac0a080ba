import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { problem, PROBLEM_CONTENT_TYPE, type ErrorCode } from '@atrium/contracts';
import { BRIDGE_HTTP_PREFIX, BRIDGE_SECRET_HEADER, BRIDGE_WS_PATH, BRIDGE_WS_PROTOCOL, dispatchBridgeCall, type BridgeNotice, type KioskBridgeCalls } from '../bridge';

const MAX_BODY_BYTES = 64 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const BLANK_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><p id="ready">ready</p></body></html>';

/** The running bridge server: its URL, the per-launch secret, and a way to push notices. */
export interface BridgeServer {
  url: string;
  secret: string;
  /** The URL a browser opens: the secret rides in the fragment, which never leaves the browser. */
  pageUrl: string;
  notify(notice: BridgeNotice): void;
  close(): Promise<void>;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendProblem(res: ServerResponse, code: ErrorCode, detail?: string): void {
  const p = problem(code, detail);
  res.writeHead(p.status, { 'content-type': PROBLEM_CONTENT_TYPE, ...SECURITY_HEADERS });
  res.end(JSON.stringify(p));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves the built renderer and the bridge on loopback. Every bridge request must carry the
 * per-launch secret and come from this origin (Host and Origin checked, against DNS
 * rebinding and other local pages); inputs are validated by the bridge's dispatcher.
 */
export async function startBridgeServer(options: {
  host: string;
  port: number;
  rendererDir: string;
  calls: KioskBridgeCalls;
  /** The notices a page gets as soon as it connects, so it never waits for the next change. */
  currentState?: () => BridgeNotice[];
  log?: (entry: Record<string, unknown>) => void;
}): Promise<BridgeServer> {
  const secret = randomBytes(32).toString('hex');
  const root = normalize(options.rendererDir);
  let origin = '';
  const sockets = new Set<WebSocket>();

  const fromUs = (req: IncomingMessage) => req.headers.host === origin.slice('http://'.length) && (req.headers.origin === undefined || req.headers.origin === origin);

  const serveStatic = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    if (path === '/blank.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, ...SECURITY_HEADERS });
      return res.end(BLANK_PAGE);
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep) && file !== root) return sendProblem(res, 'NOT_FOUND');
    try {
      const body = await readFile(file);
      const immutable = path.startsWith('/assets/');
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      // The page's policy also travels as a header, where frame-ancestors takes effect.
      const csp = type.startsWith('text/html') ? { 'content-security-policy': PAGE_CSP } : {};
      res.writeHead(200, { 'content-type': type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-store', ...SECURITY_HEADERS, ...csp });
      res.end(body);
    } catch {
      sendProblem(res, 'NOT_FOUND');
    }
  };

  const serveBridge = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    if (req.method !== 'POST') return sendProblem(res, 'NOT_FOUND');
    if (!fromUs(req) || !sameSecret(req.headers[BRIDGE_SECRET_HEADER] as string | undefined, secret)) return sendProblem(res, 'FORBIDDEN');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendProblem(res, 'UNSUPPORTED_MEDIA_TYPE');
    const raw = await readBody(req);
    if (raw === null) return sendProblem(res, 'BODY_TOO_LARGE');
    let input: unknown;
    try {
      input = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return sendProblem(res, 'BODY_MALFORMED');
    }
    const result = await dispatchBridgeCall(options.calls, method, input, (failed, err) =>
      options.log?.({ level: 'error', msg: 'bridge call failed', method: failed, err: err instanceof Error ? err.stack ?? err.message : String(err) }),
    );
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(JSON.stringify(result));
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const work = path.startsWith(BRIDGE_HTTP_PREFIX) ? serveBridge(req, res, path.slice(BRIDGE_HTTP_PREFIX.length)) : req.method === 'GET' || req.method === 'HEAD' ? serveStatic(req, res) : Promise.resolve(sendProblem(res, 'NOT_FOUND'));
    work.catch(() => {
      if (!res.headersSent) sendProblem(res, 'INTERNAL');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, handleProtocols: (protocols) => (protocols.has(BRIDGE_WS_PROTOCOL) ? BRIDGE_WS_PROTOCOL : false) });
  server.on('upgrade', (req, socket, head) => {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const given = offered.find((p) => p.startsWith('secret.'))?.slice('secret.'.length) ?? (req.headers[BRIDGE_SECRET_HEADER] as string | undefined);
    if (req.url !== BRIDGE_WS_PATH || !fromUs(req) || !sameSecret(given, secret)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      for (const notice of options.currentState?.() ?? []) ws.send(JSON.stringify(notice));
      ws.on('message', () => ws.close(1008, 'notices flow one way'));
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  origin = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    secret,
    pageUrl: `${origin}/#k=${secret}`,
    notify(notice) {
      const text = JSON.stringify(notice);
      for (const ws of sockets) ws.send(text);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
