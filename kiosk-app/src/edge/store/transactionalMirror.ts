import type { KioskStore } from './kioskStore';

/**
 * In-memory state that mirrors table state (a next sequence, a byte count) and must follow
 * the transaction: `edit()` snapshots the value the first time it is changed at each
 * transaction level and restores the snapshot if that level rolls back. One snapshot per
 * level, not one undo per change, keeps the hot append path cheap.
 */
export class TransactionalMirror<T extends object> {
  private snapshotToken: object | null = null;

  constructor(
    private readonly store: KioskStore,
    public value: T,
    private readonly copy: (value: T) => T,
  ) {}

  /** The value, for reading. */
  get(): Readonly<T> {
    return this.value;
  }

  /** The value, for changing inside `store.transaction` (undone if the transaction rolls back). */
  edit(): T {
    const token = this.store.transactionToken();
    if (token !== this.snapshotToken) {
      const saved = this.copy(this.value);
      this.snapshotToken = token;
      this.store.onRollback(() => {
        this.value = saved;
        this.snapshotToken = null;
      });
    }
    return this.value;
  }
}
