// Int tests of every package import this (as `@atrium/infra/test-endpoints` or by relative path)
// to find the test stack that infra/local/src/testStack.globalSetup.ts started.
import { endpointsFromEnv, type StackEndpoints } from './stackEndpoints';

export type { StackEndpoints } from './stackEndpoints';
export { ENDPOINT_ENV } from './stackEndpoints';

/** Endpoints of the running test stack, read from the ATRIUM_* env vars the global setup set. */
export function testEndpoints(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  return endpointsFromEnv(env);
}
