import type { UrgentMessage } from '@atrium/contracts';

/** A broadcast as it travels between gateway instances: the message and whom it is for. */
export interface UrgentBroadcast {
  message: UrgentMessage;
  /** Only kiosks of this mall; every mall when absent. */
  mallId?: string;
  /** Only these kiosks; every kiosk (of the mall) when absent. */
  kioskIds?: string[];
}

/** One kiosk's open urgent stream on this instance. */
export interface UrgentSubscriber {
  kioskId: string;
  mallId: string;
  write(message: UrgentMessage): void;
  close(): void;
}

/** True when `broadcast` is addressed to `subscriber`. */
export function isAddressedTo(broadcast: UrgentBroadcast, subscriber: { kioskId: string; mallId: string }): boolean {
  if (broadcast.mallId !== undefined && broadcast.mallId !== subscriber.mallId) return false;
  if (broadcast.kioskIds !== undefined && !broadcast.kioskIds.includes(subscriber.kioskId)) return false;
  return true;
}

/** The kiosks connected to this instance's urgent channel, and delivery to them. */
export class UrgentHub {
  private readonly subscribers = new Set<UrgentSubscriber>();

  /** Adds a stream; returns the function that removes it. */
  subscribe(subscriber: UrgentSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Writes `broadcast` to every addressed stream; returns how many got it. */
  deliver(broadcast: UrgentBroadcast): number {
    let delivered = 0;
    for (const subscriber of this.subscribers) {
      if (!isAddressedTo(broadcast, subscriber)) continue;
      subscriber.write(broadcast.message);
      delivered += 1;
    }
    return delivered;
  }

  /** Streams open now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Ends every stream (shutdown: kiosks reconnect to another instance). */
  closeAll(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.subscribers.clear();
  }
}
