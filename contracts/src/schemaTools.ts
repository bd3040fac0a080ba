import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FieldError } from './validateEvent';

// Layers that may import only contracts (the kiosk's bridge contract, for one) still declare
// TypeBox schemas; these re-exports give them the one schema library the contracts use.
export { Type, type Static, type TSchema } from '@sinclair/typebox';

/** A compiled schema: `errors(value)` is empty when the value conforms. */
export interface SchemaChecker<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  errors(value: unknown, max?: number): FieldError[];
  schema: T;
}

/** Compiles a schema once, for checking untrusted input many times. */
export function compileSchema<T extends TSchema>(schema: T): SchemaChecker<T> {
  const compiled: TypeCheck<T> = TypeCompiler.Compile(schema);
  return {
    schema,
    check: (value): value is Static<T> => compiled.Check(value),
    errors: (value, max = 20) => [...compiled.Errors(value)].slice(0, max).map((e) => ({ path: e.path || '/', message: e.message })),
  };
}
