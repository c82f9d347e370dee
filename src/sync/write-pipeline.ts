/**
 * Runs writes while the caller goes on (the vendor listing keeps paging while
 * batches are written): at most `concurrency` at once; past that, `push`
 * waits for one to end, which bounds memory. The first failure stops the
 * pipeline: writes not yet started are skipped, and the next `push` or
 * `drain` throws it.
 */
export class WritePipeline {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly concurrency: number) {}

  async push(write: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Waits for every write under way; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
