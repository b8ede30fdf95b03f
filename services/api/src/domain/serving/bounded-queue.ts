/**
 * A first-in first-out queue of at most `capacity` items in a ring buffer: every operation is O(1) or
 * O(items taken), never O(queued), so a full queue (Kafka down) costs an answer nothing. Pushing into a
 * full queue drops the oldest item. Items carry sequence numbers, so a consumer that took a batch and
 * awaited its delivery removes exactly that batch afterwards, even if pushes dropped some of it meanwhile.
 */
export class BoundedQueue<T> {
  private readonly slots: (T | undefined)[];
  /** Sequence number of the oldest queued item; `tail` the next to be pushed. */
  private head = 0;
  private tail = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.tail - this.head;
  }

  /** Appends; returns how many of the oldest items were dropped to make room (0 or 1). */
  push(item: T): number {
    let dropped = 0;
    if (this.size === this.capacity) {
      this.slots[this.head % this.capacity] = undefined;
      this.head += 1;
      dropped = 1;
    }
    this.slots[this.tail % this.capacity] = item;
    this.tail += 1;
    return dropped;
  }

  /** Up to `count` of the oldest items (left queued) and the sequence number just past the last of them. */
  peek(count: number): { readonly items: T[]; readonly through: number } {
    const end = Math.min(this.tail, this.head + count);
    const items: T[] = [];
    for (let seq = this.head; seq < end; seq += 1) items.push(this.slots[seq % this.capacity] as T);
    return { items, through: end };
  }

  /** Removes every item with a sequence number below `through` that is still queued. */
  removeThrough(through: number): void {
    const end = Math.min(through, this.tail);
    for (; this.head < end; this.head += 1) this.slots[this.head % this.capacity] = undefined;
  }
}
