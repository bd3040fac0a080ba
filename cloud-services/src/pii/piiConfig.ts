import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../config/cloudConfig';

const Key32 = (description: string) => Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description });

/** The loyalty PII keys: the cloud's X25519 key the kiosks seal to, and the key that wraps member keys. */
export const PiiConfig = Type.Object({
  /** The `keyId` kiosks put on boxes sealed to this key (the AEAD's associated data). */
  cloudKeyId: Type.String({ minLength: 1, maxLength: 64 }),
  cloudPrivateKey: Key32('raw X25519 private key, base64 (32 bytes)'),
  memberKeyWrapKey: Key32('AES-256 key that wraps member keys at rest, base64 (32 bytes)'),
  /** Keys kiosks may still seal to while a new cloud key rolls out; opened, never sealed to. */
  olderCloudKeys: Type.Optional(
    Type.Array(Type.Object({ keyId: Type.String({ pattern: '^[^:,]{1,64}$' }), privateKey: Key32('raw X25519 private key, base64') }), { maxItems: 8 }),
  ),
});
/** The validated PII configuration. */
export type PiiConfig = Static<typeof PiiConfig>;

/** Env vars of the PII keys, for `--help`. */
export const piiEnvNames = ['ATRIUM_PII_CLOUD_KEY_ID', 'ATRIUM_PII_CLOUD_PRIVATE_KEY', 'ATRIUM_PII_MEMBER_KEK', 'ATRIUM_PII_OLDER_CLOUD_KEYS'] as const;

/** The PII keys from the environment; undefined when none is set, ConfigError when some are wrong. */
export function loadPiiConfig(env: NodeJS.ProcessEnv): PiiConfig | undefined {
  const [keyId, privateKey, kek, older] = piiEnvNames.map((name) => env[name]);
  if (!keyId && !privateKey && !kek) return undefined;
  // `keyId:base64,keyId:base64`
  const olderCloudKeys = (older ?? '').split(',').filter(Boolean).map((pair) => ({ keyId: pair.slice(0, pair.indexOf(':')), privateKey: pair.slice(pair.indexOf(':') + 1) }));
  const value = { cloudKeyId: keyId, cloudPrivateKey: privateKey, memberKeyWrapKey: kek, ...(olderCloudKeys.length > 0 ? { olderCloudKeys } : {}) };
  if (!Value.Check(PiiConfig, value)) {
    const problems = [...Value.Errors(PiiConfig, value)].map((e) => `${e.path}: ${e.message}`);
    throw new ConfigError(`invalid PII keys (${piiEnvNames.join(', ')}): ${problems.join('; ')}`);
  }
  return value;
}
