/**
 * Runs writes one after another while the caller goes on (the vendor listing
 * keeps paging while a batch is written). At most `depth` writes wait; past
 * that, `push` waits for the oldest, which bounds memory. The first failure
 * stops the pipeline and is thrown by the next `push` or by `drain`.
 */
export class WritePipeline {
  private tail: Promise<void> = Promise.resolve();
  private readonly waiting: Promise<void>[] = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly depth: number) {}

  async push(write: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    const done = this.tail.then(async () => {
      if (this.failure) return;
      try {
        await write();
      } catch (error) {
        this.failure ??= { error };
      }
    });
    this.tail = done;
    this.waiting.push(done);
    void done.then(() => this.waiting.splice(this.waiting.indexOf(done), 1));
    while (this.waiting.length >= this.depth) await this.waiting[0];
    this.throwIfFailed();
  }

  /** Waits for every queued write; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
