import { describe, expect, it } from 'vitest';
import { judgeGatewayAnswer } from './gatewayProbe';

// The probe is a signed empty upload; these are the answers a kiosk can get back through its tunnel.
const problem = (status: number, code: string, detail: string) => JSON.stringify({ type: `https://atrium.example/problems/${code}`, title: code, status, code, detail, instance: '/v1/events' });

describe('judging the answer to the gateway probe', () => {
  it('given the gateway acknowledging the empty batch, then the gateway is reachable and accepts the kiosk', () => {
    const body = JSON.stringify({ ackedThrough: 0, accepted: 0, rejections: [], serverTime: '2026-03-01T10:00:00.000Z' });
    expect(judgeGatewayAnswer(200, body)).toEqual({ reachable: true, refusal: null, error: null });
  });

  it('given a 404 problem (a listener without the upload route, such as /healthz on the kiosk listener), then it is not reachability', () => {
    const answer = judgeGatewayAnswer(404, problem(404, 'NOT_FOUND', 'No route POST /v1/events'));
    expect(answer).toMatchObject({ reachable: false, refusal: null });
    expect(answer.error).toMatch(/404 NOT_FOUND: no sync gateway upload route/);
  });

  it('given any other 2xx, 3xx or 4xx that is not an upload answer, then it is not reachability', () => {
    expect(judgeGatewayAnswer(200, JSON.stringify({ status: 'ok', serverTime: '2026-03-01T10:00:00.000Z' })).reachable).toBe(false);
    expect(judgeGatewayAnswer(200, '<html>captive portal</html>').reachable).toBe(false);
    expect(judgeGatewayAnswer(404, 'Not Found').reachable).toBe(false);
    expect(judgeGatewayAnswer(302, '').reachable).toBe(false);
    expect(judgeGatewayAnswer(200, JSON.stringify({ ackedThrough: 7, accepted: 7, rejections: [], serverTime: '2026-03-01T10:00:00.000Z' })).reachable).toBe(false);
  });

  it('given the gateway refusing the device, then the refusal code is kept for the next step', () => {
    expect(judgeGatewayAnswer(403, problem(403, 'DEVICE_REVOKED', 'device dev-1 is revoked'))).toEqual({
      reachable: false,
      refusal: 'DEVICE_REVOKED',
      error: 'HTTP 403 DEVICE_REVOKED: device dev-1 is revoked',
    });
    expect(judgeGatewayAnswer(401, problem(401, 'SIGNATURE_EXPIRED', 'check the clock')).refusal).toBe('SIGNATURE_EXPIRED');
  });
});
