import { isProblem } from '@atrium/contracts';
import type { ApprovalView, DeviceView, PoolView, TokenCreated, TokenView } from '../api/schemas';

/** A problem answer kept as data, so tests can assert on its code. */
export interface OpsAnswer<T> {
  status: number;
  body: T;
}

/** An ops client of the provisioning admin routes (tests and scripts). */
export function opsClient(baseUrl: string, adminToken: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const parsed = (await response.json()) as unknown;
    if (!response.ok) throw Object.assign(new Error(`${method} ${path} → ${response.status} ${isProblem(parsed) ? parsed.code : ''}`), { problem: parsed });
    return parsed as T;
  }
  return {
    createToken: (body: { mallId: string; kioskId: string; ttlS: number; location?: string; createdBy?: string }) =>
      call<TokenCreated>('POST', '/v1/admin/enrolment-tokens', { createdBy: 'ops-test', ...body }),
    listTokens: (mallId: string) => call<{ tokens: TokenView[] }>('GET', `/v1/admin/enrolment-tokens?mallId=${encodeURIComponent(mallId)}`),
    revokeToken: (tokenId: string) => call<TokenView>('POST', `/v1/admin/enrolment-tokens/${tokenId}/revoke`),
    setPool: (mallId: string, hubId: string, cidr: string) => call<PoolView>('PUT', `/v1/admin/malls/${mallId}/vpn-pool`, { hubId, cidr }),
    pool: (mallId: string) => call<PoolView>('GET', `/v1/admin/malls/${mallId}/vpn-pool`),
    approvals: (mallId: string) => call<{ approvals: ApprovalView[] }>('GET', `/v1/admin/approvals?mallId=${encodeURIComponent(mallId)}`),
    approve: (approvalId: string) => call<ApprovalView>('POST', `/v1/admin/approvals/${approvalId}/approve`, { decidedBy: 'ops-test' }),
    reject: (approvalId: string) => call<ApprovalView>('POST', `/v1/admin/approvals/${approvalId}/reject`, { decidedBy: 'ops-test' }),
    device: (deviceId: string) => call<DeviceView>('GET', `/v1/admin/devices/${deviceId}`),
    revokeDevice: (deviceId: string, reason: string) => call<DeviceView>('POST', `/v1/admin/devices/${deviceId}/revoke`, { reason }),
    decommissionDevice: (deviceId: string, reason: string) => call<DeviceView>('POST', `/v1/admin/devices/${deviceId}/decommission`, { reason }),
  };
}

/** An ops client. */
export type OpsClient = ReturnType<typeof opsClient>;
