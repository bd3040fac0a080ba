import { compileSchema, isAtriumError, type SchemaChecker, type TSchema } from '@atrium/contracts';
import { bridgeCalls, isBridgeMethod, type BridgeMethod } from './bridgeCalls';
import { bridgeFail, type BridgeResult } from './bridgeResult';
import type { KioskBridgeCalls } from './kioskBridge';

const checks = new Map<BridgeMethod, SchemaChecker<TSchema>>();
function inputCheck(method: BridgeMethod): SchemaChecker<TSchema> {
  let check = checks.get(method);
  if (!check) {
    check = compileSchema(bridgeCalls[method].input);
    checks.set(method, check);
  }
  return check;
}

/**
 * The receiving side of the bridge: checks the method name and the input against its schema,
 * then calls the implementation. Nothing unchecked reaches the implementation, and an
 * exception never crosses the bridge: it comes back as problem details.
 */
export async function dispatchBridgeCall(
  impl: KioskBridgeCalls,
  method: string,
  input: unknown,
  /** Told about failures that are not catalogued errors (bugs), which the page sees only as INTERNAL. */
  onUnexpected?: (method: string, err: unknown) => void,
): Promise<BridgeResult<unknown>> {
  if (!isBridgeMethod(method)) return bridgeFail('NOT_FOUND', `No bridge call named '${method.slice(0, 64)}'`);
  const check = inputCheck(method);
  if (!check.check(input)) {
    const errors = check.errors(input, 10);
    return bridgeFail('VALIDATION_FAILED', `Invalid input for ${method}`, { errors });
  }
  try {
    const call = impl[method] as (input: unknown) => Promise<BridgeResult<unknown>>;
    return await call.call(impl, input);
  } catch (err) {
    if (isAtriumError(err)) return bridgeFail(err.code, err.message, err.errors ? { errors: err.errors } : {});
    onUnexpected?.(method, err);
    return bridgeFail('INTERNAL');
  }
}
