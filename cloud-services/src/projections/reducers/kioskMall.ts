/**
 * The mall a kiosk belongs to, from the kiosk id convention `<mall id>-k<number>`
 * (`mall-01-k007` is in `mall-01`). Kiosk ids are issued by provisioning in this form; an id that
 * does not follow it is counted under the mall `unknown` rather than dropped.
 */
export function mallOfKiosk(kioskId: string): string {
  const match = /^(.+)-k\d+$/.exec(kioskId);
  return match ? match[1]! : 'unknown';
}
