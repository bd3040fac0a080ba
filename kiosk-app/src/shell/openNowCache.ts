import type { OpeningHoursBody } from '@atrium/contracts';
import { openStatusAt } from '../core/content/openingHours';
import type { ContentCache } from '../edge/content';

/**
 * "Open now" for directory rows without a full store-page read per row: each store's hours
 * are read once per content version and the open status is computed from them (the same
 * core rule the store page uses). Typing a query re-lists mostly the same stores.
 */
export class OpenNowCache {
  private version = -1;
  private readonly hours = new Map<string, OpeningHoursBody | null>();

  constructor(private readonly content: ContentCache) {}

  isOpen(storeId: string, now: Date): boolean {
    const { contentVersion } = this.content.feedPosition();
    if (contentVersion !== this.version) {
      this.hours.clear();
      this.version = contentVersion;
    }
    const timeZone = this.content.kioskConfig()?.timeZone;
    let hours = this.hours.get(storeId);
    if (hours === undefined) {
      hours = this.content.storeDetail(storeId, now)?.hours ?? null;
      this.hours.set(storeId, hours);
    }
    return hours !== null && timeZone !== undefined ? openStatusAt(hours, now, timeZone).open : false;
  }
}
