import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import './formats';
import { CloudEventEnvelope, dataSchemaUri, type AtriumCloudEvent } from './cloudEvent';
import { eventDefinition, type CatalogueEvent } from './catalogue/catalogue';

/** One reason an event is invalid, naming the field by its JSON pointer (`/data/rating`). */
export interface FieldError {
  path: string;
  message: string;
}

/** A catalogued event that passed validation. */
export type ValidEvent = Omit<AtriumCloudEvent, 'type' | 'data'> & CatalogueEvent;

/** The outcome of validating one event. */
export type EventValidation =
  | { ok: true; event: ValidEvent }
  | { ok: false; code: 'EVENT_INVALID' | 'EVENT_TYPE_UNKNOWN'; errors: FieldError[] };

const envelopeCheck = TypeCompiler.Compile(CloudEventEnvelope);
const dataChecks = new Map<string, TypeCheck<TSchema>>();

function dataCheck(type: string, schema: TSchema): TypeCheck<TSchema> {
  let check = dataChecks.get(type);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    dataChecks.set(type, check);
  }
  return check;
}

function collect(check: TypeCheck<TSchema>, value: unknown, prefix: string): FieldError[] {
  // The compiled check is fast; walking for errors is not, so only walk when the check fails
  // (the kiosk validates every event it records, and the gateway every event it receives).
  if (check.Check(value)) return [];
  return [...check.Errors(value)].slice(0, 20).map((e) => ({ path: `${prefix}${e.path}` || '/', message: e.message }));
}

/**
 * Checks an untrusted value against the envelope and its type's catalogue schema.
 * Errors name each offending field, so a rejected event says exactly what to fix.
 */
export function validateEvent(value: unknown): EventValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'EVENT_INVALID', errors: [{ path: '/', message: 'Expected an object' }] };
  }
  const { data, ...envelope } = value as Record<string, unknown>;
  const errors = collect(envelopeCheck, envelope, '');
  const type = envelope['type'];
  const definition = typeof type === 'string' ? eventDefinition(type) : undefined;
  if (typeof type === 'string' && !definition) {
    return { ok: false, code: 'EVENT_TYPE_UNKNOWN', errors: [{ path: '/type', message: `Unknown event type '${type}'` }] };
  }
  if (definition) {
    const expected = dataSchemaUri(definition.type, definition.schemaVersion);
    if (envelope['dataschema'] !== undefined && envelope['dataschema'] !== expected) {
      errors.push({ path: '/dataschema', message: `Expected '${expected}'` });
    }
    errors.push(...collect(dataCheck(definition.type, definition.data), data, '/data'));
  }
  if (errors.length > 0) return { ok: false, code: 'EVENT_INVALID', errors };
  return { ok: true, event: value as ValidEvent };
}

/** One line naming every invalid field, for logs and problem details. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}
