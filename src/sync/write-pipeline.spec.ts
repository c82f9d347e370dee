import { WritePipeline } from './write-pipeline';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WritePipeline', () => {
  it('runs writes in order, one at a time, while the caller goes on', async () => {
    const pipeline = new WritePipeline(2);
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await pipeline.push(async () => {
      log.push('start 1');
      await gate;
      log.push('end 1');
    });
    log.push('caller continued');
    const second = pipeline.push(async () => void log.push('run 2'));
    await tick();
    expect(log).toEqual(['start 1', 'caller continued']); // 2 waits behind 1; the caller is held at depth 2
    release();
    await second;
    await pipeline.drain();
    expect(log).toEqual(['start 1', 'caller continued', 'end 1', 'run 2']);
  });

  it('stops at the first failure: later writes do not run, and push and drain throw it', async () => {
    const pipeline = new WritePipeline(3);
    const ran: number[] = [];
    await pipeline.push(async () => {
      throw new Error('disk full');
    });
    await expect(
      (async () => {
        await pipeline.push(async () => void ran.push(2));
        await pipeline.push(async () => void ran.push(3));
      })(),
    ).rejects.toThrow('disk full');
    await expect(pipeline.drain()).rejects.toThrow('disk full');
    expect(ran).toEqual([]);
  });
});
