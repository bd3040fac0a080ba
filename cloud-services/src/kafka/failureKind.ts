/**
 * Whether a failure is worth retrying. Poison means the event itself cannot be applied (bad data,
 * a broken invariant): it goes to the dead-letter topic and the consumer moves on. Everything else,
 * above all an unreachable database, is transient: the consumer pauses, retries and commits nothing.
 * Unknown errors count as transient, because dead-lettering good events during an outage would be
 * far worse than stalling.
 */
export type FailureKind = 'transient' | 'poison';

/** Thrown by appliers for an event that can never be applied as it is. */
export class PoisonEventError extends Error {
  override readonly name = 'PoisonEventError';
  readonly poison = true;
}

// PostgreSQL SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
const PG_POISON_CLASSES = ['22', '23'];
// MongoDB: BadValue, DocumentValidationFailure, BSONObjectTooLarge, ImmutableField, DollarPrefixedFieldName.
const MONGO_POISON_CODES = new Set([2, 66, 121, 10334, 17419, 52]);
// Cassandra: Invalid (0x2200), unless it is about schema that is not there yet (a deploy problem).
const CASSANDRA_INVALID = 0x2200;

/** Classifies an error thrown while applying an event. */
export function failureKind(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'transient';
  const e = error as { poison?: unknown; code?: unknown; name?: unknown; message?: unknown; severity?: unknown };
  if (e.poison === true) return 'poison';
  if (typeof e.code === 'string' && typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return PG_POISON_CLASSES.includes(e.code.slice(0, 2)) ? 'poison' : 'transient';
  }
  if (typeof e.name === 'string' && e.name.startsWith('Mongo') && typeof e.code === 'number') {
    return MONGO_POISON_CODES.has(e.code) ? 'poison' : 'transient';
  }
  if (e.name === 'ResponseError' && e.code === CASSANDRA_INVALID) {
    return /unconfigured|keyspace|table|does not exist/i.test(String(e.message)) ? 'transient' : 'poison';
  }
  return 'transient';
}
