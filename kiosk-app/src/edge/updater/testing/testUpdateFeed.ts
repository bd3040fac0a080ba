import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import type { MaintenanceWindow, UpdateInfo } from '@atrium/contracts';

/** One release the test feed offers. */
export interface TestRelease {
  version: string;
  bytes: Buffer;
  /** Bytes actually served, when a test wants them to differ from what the feed announces. */
  served?: Buffer;
  rolloutId?: string;
}

/**
 * A stand-in for the gateway's update feed on 127.0.0.1: `latest-linux.yml` in electron-updater's
 * format and artefacts with single byte ranges (206, Content-Range), plus faults for tests.
 */
export class TestUpdateFeed {
  release: TestRelease | null = null;
  installWindow: MaintenanceWindow | null = null;
  /** Cut the connection after this many body bytes of the next artefact response. */
  dropAfterBytes: number | null = null;
  /** Range headers of artefact requests, in order ('' for none). */
  readonly artefactRanges: string[] = [];
  /** Versions the kiosk said it runs, per feed request. */
  readonly reportedVersions: string[] = [];
  /** The `keyid` each request's signature names ('' when unsigned), feed and artefacts alike. */
  readonly signedBy: string[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      this.signedBy.push(/keyid="([^"]*)"/.exec(String(req.headers['signature-input'] ?? ''))?.[1] ?? '');
      if (path === '/v1/updates/latest-linux.yml') {
        this.reportedVersions.push(String(req.headers['x-atrium-app-version'] ?? ''));
        if (!this.release) return void res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"NOT_FOUND","status":404,"title":"none"}');
        const { version, bytes } = this.release;
        const url = `artefacts/${version}/atrium-kiosk-${version}-x86_64.AppImage`;
        const sha512 = createHash('sha512').update(bytes).digest('base64');
        const info: UpdateInfo = {
          version,
          files: [{ url, sha512, size: bytes.length }],
          path: url,
          sha512,
          releaseDate: '2026-01-01T00:00:00.000Z',
          ...(this.release.rolloutId ? { rolloutId: this.release.rolloutId } : {}),
          ...(this.installWindow ? { installWindow: this.installWindow } : {}),
        };
        return void res.writeHead(200, { 'content-type': 'text/yaml' }).end(stringify(info, { version: '1.1' }));
      }
      const match = /^\/v1\/updates\/artefacts\/([^/]+)\/[^/]+$/.exec(path ?? '');
      if (!match || !this.release || match[1] !== this.release.version) return void res.writeHead(404).end();
      const body = this.release.served ?? this.release.bytes;
      const range = req.headers.range ?? '';
      this.artefactRanges.push(range);
      const start = /^bytes=(\d+)-$/.exec(range) ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
      if (start >= body.length) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      const chunk = body.subarray(start);
      const headers = { 'accept-ranges': 'bytes', 'content-length': String(chunk.length), ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) };
      res.writeHead(start > 0 ? 206 : 200, headers);
      if (this.dropAfterBytes !== null) {
        const cut = this.dropAfterBytes;
        this.dropAfterBytes = null;
        res.write(chunk.subarray(0, cut), () => res.destroy());
        return;
      }
      res.end(chunk);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/updates`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
