import type { DeviceRecord, DeviceRegistry } from '../auth/deviceRegistry';
import type { TestDeviceKey } from './testSigner';

/** A device registry held in memory, for unit tests that need no PostgreSQL. */
export class MemoryDeviceRegistry implements DeviceRegistry {
  private readonly devices = new Map<string, DeviceRecord>();

  /** Registers `key` for `kioskId` (active unless told otherwise). */
  add(key: TestDeviceKey, kioskId: string, status: DeviceRecord['status'] = 'active', mallId = 'mall-01'): void {
    this.devices.set(key.deviceId, { deviceId: key.deviceId, kioskId, mallId, status, publicKey: key.publicKey });
  }

  async find(deviceId: string): Promise<DeviceRecord | undefined> {
    return this.devices.get(deviceId);
  }
}
