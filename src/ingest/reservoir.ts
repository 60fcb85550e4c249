/**
 * Seeded reservoir sampling (Algorithm R) over a stream of unknown length: keeps a uniform sample of at most
 * `capacity` items in O(capacity) memory, and hands them back in their original stream order.
 */
import type { Rng } from '../core/random.js';

export class Reservoir<T> {
  private readonly kept: { seq: number; item: T }[] = [];
  private seen = 0;

  /** capacity = Infinity keeps everything (no sampling, no random draws). */
  constructor(
    private readonly capacity: number,
    private readonly rng: Rng,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`reservoir capacity must be >= 1, got ${capacity}`);
  }

  offer(item: T): void {
    const seq = this.seen++;
    if (this.kept.length < this.capacity) {
      this.kept.push({ seq, item });
      return;
    }
    const j = this.rng.int(seq + 1);
    if (j < this.capacity) this.kept[j] = { seq, item };
  }

  /** Items offered so far. */
  get offered(): number {
    return this.seen;
  }

  /** The kept items in the order they were offered. */
  items(): T[] {
    return this.kept
      .slice()
      .sort((a, b) => a.seq - b.seq)
      .map((entry) => entry.item);
  }
}
