import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EnrolmentResult } from '../api/schemas';

/** What kioskctl remembers about its enrolment (kioskctl/state.json in the data folder). */
export const KioskctlState = Type.Object({
  server: Type.String(),
  /** SHA-256 (hex) of the token used, so a re-run with the same token skips enrolling again. */
  tokenSha256: Type.String(),
  hardwareFingerprint: Type.String(),
  interfaceName: Type.String(),
  enrolledAt: Type.String(),
  enrolment: EnrolmentResult,
});
/** kioskctl's state. */
export type KioskctlState = Static<typeof KioskctlState>;

/** Writes a JSON file atomically (write aside, then rename), so a crash never leaves half a file. */
export function writeJsonAtomically(path: string, value: unknown, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(value, null, 2)}\n`, { mode });
  renameSync(aside, path);
}

/** The saved state, or undefined when the kiosk was never enrolled from this data folder. */
export function readKioskctlState(path: string): KioskctlState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const value: unknown = JSON.parse(text);
  if (!Value.Check(KioskctlState, value)) throw new Error(`${path} is damaged; move it aside and enrol again with a new token`);
  return value;
}
