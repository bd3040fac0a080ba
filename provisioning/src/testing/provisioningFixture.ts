import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { ServiceConfig } from '../config/serviceConfig';
import { upsertHub } from '../db/hubStore';
import { openPool } from '../db/pgPool';
import { generateWireguardKeyPair, rawFromEd25519PublicKey } from '../enrolment/deviceKeys';
import { buildApp } from '../http/buildApp';

/** A short random suffix that keeps this run's malls, hubs and interfaces apart from others'. */
export function runSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** A running provisioning service on 127.0.0.1 with its own pool and a settable clock. */
export interface RunningProvisioning {
  baseUrl: string;
  adminToken: string;
  pool: pg.Pool;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the provisioning app in this process against the test stack's PostgreSQL. */
export async function startProvisioning(pgUrl: string, now: () => Date = () => new Date()): Promise<RunningProvisioning> {
  const adminToken = randomBytes(24).toString('base64url');
  const config = Value.Default(ServiceConfig, { pgUrl, adminToken, port: 0 }) as ServiceConfig;
  const pool = openPool(pgUrl, 20);
  const app = await buildApp({ config, pool, now, metrics: new Registry() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    adminToken,
    pool,
    app,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

/** Registers a hub the way its agent would, with a throwaway key (for tests without a tunnel). */
export async function registerTestHub(pool: pg.Pool, hubId: string, tunnelAddress: string): Promise<void> {
  await upsertHub(pool, { hubId, publicKey: generateWireguardKeyPair().publicKey, endpoint: '192.0.2.1:51820', tunnelAddress, gatewayUrl: `http://${tunnelAddress}:8443` });
}

/** Deletes everything a test run made for its malls and hubs. */
export async function cleanupRun(pool: pg.Pool, mallIds: readonly string[], hubIds: readonly string[]): Promise<void> {
  await pool.query('DELETE FROM atrium.devices WHERE mall_id = ANY($1) OR device_id IN (SELECT device_id FROM atrium.vpn_addresses WHERE mall_id = ANY($1))', [mallIds]);
  await pool.query('DELETE FROM atrium.enrolment_tokens WHERE mall_id = ANY($1)', [mallIds]);
  await pool.query('DELETE FROM atrium.vpn_pools WHERE mall_id = ANY($1) OR hub_id = ANY($2)', [mallIds, hubIds]);
  await pool.query('DELETE FROM atrium.vpn_hubs WHERE hub_id = ANY($1)', [hubIds]);
}

/** A kiosk's keys and hardware identity, made as kioskctl makes them. */
export interface TestKioskIdentity {
  wireguardPrivateKey: string;
  wireguardPublicKey: string;
  signingKey: KeyObject;
  signingPublicKey: string;
  hardwareFingerprint: string;
}

/** Fresh keys and a fresh fingerprint (or the given one). */
export function testKioskIdentity(hardwareFingerprint = createHash('sha256').update(randomBytes(16)).digest('hex')): TestKioskIdentity {
  const wg = generateWireguardKeyPair();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    wireguardPrivateKey: wg.privateKey,
    wireguardPublicKey: wg.publicKey,
    signingKey: privateKey,
    signingPublicKey: rawFromEd25519PublicKey(publicKey).toString('base64url'),
    hardwareFingerprint,
  };
}
