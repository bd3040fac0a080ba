/**
 * Durations and round counts of the fault tests. The fast set (default) runs in CI with short
 * outages and few rounds; `ATRIUM_FAULTS=full` (`npm run test:faults`) runs the documented
 * durations: 60 s database outages, a 2-minute network cut, more kill rounds.
 */
export interface FaultParameters {
  profile: 'fast' | 'full';
  /** Simulated kiosks per fault and their rate (events/s each). */
  kiosks: number;
  ratePerKiosk: number;
  gatewayKillRounds: number;
  gatewayDownMs: number;
  kioskKillRounds: number;
  networkCutMs: number;
  brokerLeaderDownMs: number;
  twoBrokersDownMs: number;
  cassandraDownMs: number;
  postgresDownMs: number;
  /** How long the pipeline gets to settle after a fault before the audit fails. */
  settleTimeoutMs: number;
}

const FAST: FaultParameters = {
  profile: 'fast',
  kiosks: 3,
  ratePerKiosk: 25,
  gatewayKillRounds: 3,
  gatewayDownMs: 1_000,
  kioskKillRounds: 4,
  networkCutMs: 10_000,
  brokerLeaderDownMs: 5_000,
  twoBrokersDownMs: 10_000,
  cassandraDownMs: 10_000,
  postgresDownMs: 10_000,
  settleTimeoutMs: 180_000,
};

const FULL: FaultParameters = {
  profile: 'full',
  kiosks: 5,
  ratePerKiosk: 40,
  gatewayKillRounds: 10,
  gatewayDownMs: 3_000,
  kioskKillRounds: 10,
  networkCutMs: 120_000,
  brokerLeaderDownMs: 20_000,
  twoBrokersDownMs: 30_000,
  cassandraDownMs: 60_000,
  postgresDownMs: 60_000,
  settleTimeoutMs: 420_000,
};

/** The parameters for this run: `ATRIUM_FAULTS=full` for the full set, anything else the fast set. */
export function faultParameters(env: NodeJS.ProcessEnv = process.env): FaultParameters {
  return env.ATRIUM_FAULTS === 'full' ? FULL : FAST;
}

/** Test timeout for a fault test that spends `faultMs` in faults. */
export function faultTestTimeout(p: FaultParameters, faultMs: number): number {
  return faultMs + 2 * p.settleTimeoutMs + 240_000;
}
