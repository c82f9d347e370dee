import { WritePipeline } from './write-pipeline';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('WritePipeline', () => {
  it('lets the caller go on while writes run, and holds it when `concurrency` writes are under way', async () => {
    const pipeline = new WritePipeline(2);
    const first = gate();
    const second = gate();
    const running: number[] = [];
    await pipeline.push(async () => {
      running.push(1);
      await first.opened;
    });
    await pipeline.push(async () => {
      running.push(2);
      await second.opened;
    });
    let thirdQueued = false;
    const third = pipeline.push(async () => void running.push(3)).then(() => (thirdQueued = true));
    await tick();
    expect(running).toEqual([1, 2]);
    expect(thirdQueued).toBe(false); // two under way: the caller waits
    first.open();
    await third;
    expect(running).toEqual([1, 2, 3]); // 3 started once 1 ended, while 2 still runs
    second.open();
    await pipeline.drain();
    expect(running).toEqual([1, 2, 3]);
  });

  it('runs one write at a time with a concurrency of 1', async () => {
    const pipeline = new WritePipeline(1);
    const log: string[] = [];
    for (const n of [1, 2, 3]) {
      await pipeline.push(async () => {
        log.push(`start ${n}`);
        await tick();
        log.push(`end ${n}`);
      });
    }
    await pipeline.drain();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('stops at the first failure: writes not started do not run, and push and drain throw it', async () => {
    const pipeline = new WritePipeline(1);
    const ran: number[] = [];
    await pipeline.push(async () => {
      throw new Error('disk full');
    });
    await expect(pipeline.push(async () => void ran.push(2))).rejects.toThrow('disk full');
    await expect(pipeline.drain()).rejects.toThrow('disk full');
    expect(ran).toEqual([]);
  });
});
