import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '@atrium/contracts';
import { isInsideMaintenanceWindow } from './maintenanceWindow';

const at = (iso: string) => new Date(iso);

describe('maintenance windows in the mall’s time zone', () => {
  const nightly: MaintenanceWindow = { timeZone: 'Europe/London', spans: [{ start: '01:00', end: '05:00' }] };

  it('given a winter night in London (GMT), then 01:00–05:00 local is 01:00–05:00 UTC', () => {
    expect(isInsideMaintenanceWindow(nightly, at('2026-01-15T00:59:00Z'))).toBe(false);
    expect(isInsideMaintenanceWindow(nightly, at('2026-01-15T01:00:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-01-15T04:59:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-01-15T05:00:00Z'))).toBe(false);
  });

  it('given a summer night in London (BST), then the same local window is an hour earlier in UTC', () => {
    expect(isInsideMaintenanceWindow(nightly, at('2026-07-15T00:00:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-07-15T04:00:00Z'))).toBe(false);
  });

  it('given the spring-forward night (01:00 GMT jumps to 02:00 BST), then the window opens at the jump and is one hour shorter', () => {
    // 2026-03-29: 00:59Z is 00:59 GMT; 01:00Z is already 02:00 BST; 04:00Z is 05:00 BST.
    expect(isInsideMaintenanceWindow(nightly, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(isInsideMaintenanceWindow(nightly, at('2026-03-29T01:00:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-03-29T03:59:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-03-29T04:00:00Z'))).toBe(false);
  });

  it('given the fall-back night (02:00 BST falls back to 01:00 GMT), then the window is one hour longer', () => {
    // 2026-10-25: 00:00Z is 01:00 BST; 01:00Z is 01:00 GMT again; 05:00Z is 05:00 GMT.
    expect(isInsideMaintenanceWindow(nightly, at('2026-10-24T23:59:00Z'))).toBe(false);
    expect(isInsideMaintenanceWindow(nightly, at('2026-10-25T00:00:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-10-25T04:59:00Z'))).toBe(true);
    expect(isInsideMaintenanceWindow(nightly, at('2026-10-25T05:00:00Z'))).toBe(false);
  });

  it('given a span across midnight on chosen days, then it belongs to the day it starts on', () => {
    // Closed Friday and Saturday nights in New York: 22:00 to 08:00 next morning.
    const weekend: MaintenanceWindow = { timeZone: 'America/New_York', spans: [{ days: ['fri', 'sat'], start: '22:00', end: '08:00' }] };
    expect(isInsideMaintenanceWindow(weekend, at('2026-11-28T03:30:00Z'))).toBe(true); // Fri 22:30 EST
    expect(isInsideMaintenanceWindow(weekend, at('2026-11-28T12:00:00Z'))).toBe(true); // Sat 07:00
    expect(isInsideMaintenanceWindow(weekend, at('2026-11-29T12:00:00Z'))).toBe(true); // Sun 07:00, Saturday's span
    expect(isInsideMaintenanceWindow(weekend, at('2026-11-30T12:00:00Z'))).toBe(false); // Mon 07:00, Sunday has no span
    expect(isInsideMaintenanceWindow(weekend, at('2026-11-27T03:30:00Z'))).toBe(false); // Thu 22:30
  });

  it('given a mall east of UTC, then its local date decides the weekday', () => {
    const dubai: MaintenanceWindow = { timeZone: 'Asia/Dubai', spans: [{ days: ['mon'], start: '00:00', end: '06:00' }] };
    expect(isInsideMaintenanceWindow(dubai, at('2026-11-29T21:00:00Z'))).toBe(true); // Mon 01:00 in Dubai, still Sunday in UTC
    expect(isInsideMaintenanceWindow(dubai, at('2026-11-30T21:00:00Z'))).toBe(false); // Tue 01:00
  });
});
