import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import {
  BATCH_CONTENT_TYPE,
  PROBLEM_CONTENT_TYPE,
  UPLOAD_PATH,
  decodeBatch,
  deviceSignatureProfile,
  problem,
  validateEvent,
  type ErrorCode,
  type EventRejection,
  type UploadResponse,
  type ValidEvent,
} from '@atrium/contracts';
import { httpbis, createVerifier } from 'http-message-signatures';

/** A fault the test gateway injects into the next request(s). */
export type GatewayFault =
  | { kind: 'status'; status: number; code: ErrorCode; retryAfterS?: number }
  /** Drop the connection before reading the batch. */
  | { kind: 'drop' }
  /** Process the batch, then drop the connection: the kiosk never sees the acknowledgement. */
  | { kind: 'drop-after-commit' }
  /** Process only the first `limit` events and acknowledge through them. */
  | { kind: 'partial'; limit: number }
  /** Hold the reply this long (to exercise timeouts and aborts). */
  | { kind: 'delay'; ms: number };

/** A registered device: its id (the key id), its kiosk and its public key. */
export interface TestDevice {
  deviceId: string;
  kioskId: string;
  publicKey: KeyObject;
}

/** What the test gateway has seen. */
export interface GatewayStats {
  requests: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  watermarks: Record<string, number>;
}

/** Options of the test gateway. */
export interface TestGatewayOptions {
  devices: TestDevice[];
  /** Keep every accepted event (turn off for the offline-month drain, to keep memory flat). */
  retainEvents?: boolean;
  /** The gateway's clock runs this far ahead of the machine's (to test clock correction). */
  clockOffsetMs?: number;
  maxEventsPerBatch?: number;
  maxBodyBytes?: number;
}

type Verdict = { ok: true; device: TestDevice } | { ok: false; code: ErrorCode; detail: string };

/**
 * A small, real HTTP server implementing the upload contract, for the kiosk's int tests: it
 * verifies the device signature with the contracts' profile, validates every event, keeps a
 * per-kiosk watermark (deduplicating by (kiosk, sequence) like the real sinks, refusing gaps),
 * refuses a replayed signature,
 * dead-letters rejected events while still acknowledging them, and fails on demand.
 */
export class TestGateway {
  private server: Server | null = null;
  private readonly faults: GatewayFault[] = [];
  private readonly rejectSequences = new Set<number>();
  /** Signature values seen within the skew window, like the gateway's replay cache. */
  private readonly seenSignatures = new Map<string, number>();
  readonly events: ValidEvent[] = [];
  readonly rejections: EventRejection[] = [];
  readonly stats: GatewayStats = { requests: 0, accepted: 0, duplicates: 0, rejected: 0, watermarks: {} };
  url = '';

  constructor(private readonly options: TestGatewayOptions) {}

  /** Starts listening on 127.0.0.1 (a free port). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server and closes kept-alive connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues faults for the next requests, in order. */
  failNext(...faults: GatewayFault[]): void {
    this.faults.push(...faults);
  }

  /** Dead-letters these sequences when they arrive (still acknowledged). */
  rejectOnArrival(...sequences: number[]): void {
    for (const s of sequences) this.rejectSequences.add(s);
  }

  /** The gateway's clock now. */
  nowMs(): number {
    return Date.now() + (this.options.clockOffsetMs ?? 0);
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { date: new Date(this.nowMs()).toUTCString(), 'content-type': status < 400 ? 'application/json' : PROBLEM_CONTENT_TYPE, ...headers });
    res.end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, code: ErrorCode, detail: string, headers: Record<string, string> = {}): void {
    const p = problem(code, detail);
    this.reply(res, p.status, p, headers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests += 1;
    if (req.method !== 'POST' || req.url !== UPLOAD_PATH) return this.fail(res, 'NOT_FOUND', `${req.method} ${req.url}`);
    const fault = this.faults.shift();
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      return this.fail(res, fault.code, 'failing on demand', fault.retryAfterS !== undefined ? { 'retry-after': String(fault.retryAfterS) } : {});
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > (this.options.maxBodyBytes ?? 10 * 1024 * 1024)) return this.fail(res, 'BODY_TOO_LARGE', `over ${this.options.maxBodyBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const verdict = await this.verify(req, raw);
    if (!verdict.ok) return this.fail(res, verdict.code, verdict.detail);
    if (req.headers['content-type'] !== BATCH_CONTENT_TYPE) return this.fail(res, 'UNSUPPORTED_MEDIA_TYPE', String(req.headers['content-type']));
    const encoding = req.headers['content-encoding'] ?? 'identity';
    if (encoding !== 'gzip' && encoding !== 'identity') return this.fail(res, 'UNSUPPORTED_ENCODING', encoding);
    let text: string;
    try {
      text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    } catch (err) {
      return this.fail(res, 'BODY_MALFORMED', (err as Error).message);
    }
    const parsed = decodeBatch(text);
    if (!parsed.ok) return this.fail(res, 'BODY_MALFORMED', parsed.message);
    if (parsed.events.length > (this.options.maxEventsPerBatch ?? 500)) return this.fail(res, 'BATCH_TOO_MANY_EVENTS', `${parsed.events.length} events`);
    const outcome = this.ingest(verdict.device, parsed.events, fault?.kind === 'partial' ? fault.limit : Infinity);
    if (outcome.gap) return this.fail(res, 'SEQUENCE_GAP', outcome.gap);
    if (fault?.kind === 'drop-after-commit') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const body: UploadResponse = { ackedThrough: outcome.ackedThrough, accepted: outcome.accepted, rejections: outcome.rejections, serverTime: new Date(this.nowMs()).toISOString() };
    this.reply(res, 200, body);
  }

  private async verify(req: IncomingMessage, raw: Buffer): Promise<Verdict> {
    if (!req.headers['signature'] || !req.headers['signature-input']) return { ok: false, code: 'SIGNATURE_MISSING', detail: 'no Signature header' };
    const digest = `sha-256=:${createHash('sha256').update(raw).digest('base64')}:`;
    if (req.headers['content-digest'] !== digest) return { ok: false, code: 'SIGNATURE_INVALID', detail: 'content-digest does not match the body' };
    let device: TestDevice | undefined;
    let timeProblem: string | null = null;
    try {
      const verified = await httpbis.verifyMessage(
        {
          keyLookup: async (params) => {
            if (params.tag !== deviceSignatureProfile.tag || params.alg !== deviceSignatureProfile.alg) return null;
            device = this.options.devices.find((d) => d.deviceId === params.keyid);
            const created = params.created instanceof Date ? params.created.getTime() : NaN;
            if (Number.isNaN(created) || Math.abs(created - this.nowMs()) > deviceSignatureProfile.maxSkewS * 1000) timeProblem = `created ${params.created} is outside the window`;
            return device ? { id: device.deviceId, algs: [deviceSignatureProfile.alg], verify: createVerifier(device.publicKey, 'ed25519') } : null;
          },
          requiredFields: [...deviceSignatureProfile.componentsWithBody],
          requiredParams: ['created', 'keyid', 'alg', 'tag'],
          // Time is checked above against this gateway's own clock.
          tolerance: 10 * 365 * 24 * 3600,
          notAfter: Number.MAX_SAFE_INTEGER,
        },
        { method: req.method!, url: `http://${req.headers.host}${req.url}`, headers: req.headers as Record<string, string> },
      );
      if (!device) return { ok: false, code: 'DEVICE_UNKNOWN', detail: 'unknown key id' };
      if (timeProblem) return { ok: false, code: 'SIGNATURE_EXPIRED', detail: timeProblem };
      if (!verified) return { ok: false, code: 'SIGNATURE_INVALID', detail: 'signature does not verify' };
      const value = String(req.headers['signature']);
      const now = this.nowMs();
      for (const [seen, until] of this.seenSignatures) if (until < now) this.seenSignatures.delete(seen);
      if (this.seenSignatures.has(value)) return { ok: false, code: 'SIGNATURE_REPLAYED', detail: 'this signature was already used' };
      this.seenSignatures.set(value, now + 2 * deviceSignatureProfile.maxSkewS * 1000);
      return { ok: true, device };
    } catch (err) {
      return { ok: false, code: 'SIGNATURE_INVALID', detail: (err as Error).message };
    }
  }

  private ingest(device: TestDevice, events: unknown[], limit: number): { ackedThrough: number; accepted: number; rejections: EventRejection[]; gap?: string } {
    const kiosk = device.kioskId;
    let watermark = this.stats.watermarks[kiosk] ?? 0;
    const rejections: EventRejection[] = [];
    let accepted = 0;
    let processed = 0;
    for (const raw of events) {
      if (processed >= limit) break;
      const sequence = (raw as { sequence?: unknown }).sequence;
      const id = String((raw as { id?: unknown }).id);
      if (typeof sequence !== 'number' || (raw as { kioskid?: unknown }).kioskid !== kiosk) {
        return { ackedThrough: watermark, accepted, rejections, gap: 'event without a sequence of this kiosk' };
      }
      if (sequence <= watermark) {
        this.stats.duplicates += 1;
        continue;
      }
      if (sequence > watermark + 1) {
        if (processed === 0) return { ackedThrough: watermark, accepted, rejections, gap: `expected sequence ${watermark + 1}, got ${sequence}` };
        break;
      }
      const check = validateEvent(raw);
      if (!check.ok || this.rejectSequences.has(sequence)) {
        const reason = check.ok ? 'rejected on demand' : check.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
        rejections.push({ id, sequence, code: check.ok ? 'EVENT_INVALID' : check.code, reason });
        this.rejections.push(rejections.at(-1)!);
        this.stats.rejected += 1;
      } else {
        if (this.options.retainEvents !== false) this.events.push(check.event);
        this.stats.accepted += 1;
        accepted += 1;
      }
      watermark = sequence;
      processed += 1;
    }
    this.stats.watermarks[kiosk] = watermark;
    return { ackedThrough: watermark, accepted, rejections };
  }
}
