// Handles for frames and variable containers. Ids are never reused within a session, so a
// reference from before a resume is recognisably stale (an error response) instead of silently
// meaning something else, which is what a counter reset on every stop would do.
export class ReferenceTable<T> {
  private next: number;
  private readonly live = new Map<number, T>();

  constructor(first = 1) {
    this.next = first;
  }

  create(value: T): number {
    const id = this.next++;
    this.live.set(id, value);
    return id;
  }

  get(id: number): T | undefined {
    return this.live.get(id);
  }

  /** Forgets every handle (on resume: the program state they described is gone). */
  clear(): void {
    this.live.clear();
  }
}
