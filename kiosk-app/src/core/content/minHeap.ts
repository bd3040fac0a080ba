/** A binary min-heap of (priority, value) pairs, enough for Dijkstra over a mall map. */
export class MinHeap {
  private readonly priorities: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.values.length;
  }

  push(priority: number, value: number): void {
    this.priorities.push(priority);
    this.values.push(value);
    let i = this.values.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.priorities[parent] as number) <= priority) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the value with the lowest priority, or undefined when empty. */
  pop(): { priority: number; value: number } | undefined {
    const n = this.values.length;
    if (n === 0) return undefined;
    const top = { priority: this.priorities[0] as number, value: this.values[0] as number };
    this.swap(0, n - 1);
    this.priorities.pop();
    this.values.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n - 1 && (this.priorities[l] as number) < (this.priorities[m] as number)) m = l;
      if (r < n - 1 && (this.priorities[r] as number) < (this.priorities[m] as number)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.priorities[a], this.priorities[b]] = [this.priorities[b] as number, this.priorities[a] as number];
    [this.values[a], this.values[b]] = [this.values[b] as number, this.values[a] as number];
  }
}
