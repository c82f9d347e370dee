import { Logger } from '@nestjs/common';
import type { ChangeFeed } from './change-feed';
import { ChangePublisher } from './change-publisher';
import type { ChangeSink } from './change-sink';
import type { PublishableChange } from './publishable-change';
import type { PublisherLease } from './publisher-leases';

const change = (revision: number): PublishableChange => ({
  revision: String(revision),
  time: new Date(),
  kind: 'host',
  vendor: 'aliyun',
  instanceId: `i-${revision}`,
  region: 'cn-hangzhou',
  changeType: 'created',
  object: { id: String(revision) },
  changedFields: null,
  origin: { trigger: 'sync', jobId: null, eventId: null },
});

class MemoryFeed implements ChangeFeed {
  readonly log: PublishableChange[] = [];
  /** Revisions up to this one were pruned. */
  prunedThrough = 0;
  private listener: (() => void) | null = null;
  append(count: number) {
    for (let i = 0; i < count; i++) this.log.push(change(this.log.length + 1));
    this.listener?.();
  }
  async readAfter(after: string, limit: number) {
    const floor = BigInt(Math.max(Number(after), this.prunedThrough));
    return this.log.filter((c) => BigInt(c.revision) > floor).slice(0, limit);
  }
  async latestRevision() {
    return String(this.log.length);
  }
  onCommitted(listener: () => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }
}

/** A broker that stores what it acknowledged; it can refuse the next rounds. */
class FlakySink implements ChangeSink {
  readonly name = 'fake';
  readonly received: string[] = [];
  failNext = 0;
  stored: string | null = null;
  async publish(changes: PublishableChange[]) {
    if (this.failNext > 0) {
      this.failNext--;
      // Part of the round reached the broker before it failed: at least once, never out of order.
      this.received.push(...changes.slice(0, 2).map((c) => c.revision));
      throw new Error('broker down');
    }
    this.received.push(...changes.map((c) => c.revision));
  }
  async storedRevision() {
    return this.stored;
  }
  async close() {}
}

function leases(cursor: { value: string }, available = true) {
  return {
    async tryAcquire(): Promise<PublisherLease | null> {
      if (!available) return null;
      return { readCursor: async () => cursor.value, confirm: async () => {}, advance: async (r) => void (cursor.value = r), release: async () => {} };
    },
  };
}

const settings = { batchSize: 7, retryMaxMs: 5, takeoverMs: 5, idlePollMs: 10_000 };
const silent = new Logger('test');
silent.warn = () => {};
silent.log = () => {};
const noEvents = { published: () => {}, failed: () => {}, skipped: () => {} };

async function until(condition: () => boolean) {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('ChangePublisher', () => {
  it('publishes the log in revision order and moves the cursor to the last acknowledged revision', async () => {
    const feed = new MemoryFeed();
    const sink = new FlakySink();
    const cursor = { value: '0' };
    const publisher = new ChangePublisher(sink, feed, leases(cursor), settings, silent, noEvents);
    feed.append(20);
    publisher.start();
    await until(() => cursor.value === '20');
    feed.append(5); // a commit wakes it up long before the idle poll
    await until(() => cursor.value === '25');
    await publisher.stop();
    expect(sink.received).toEqual(feed.log.map((c) => c.revision));
  });

  it('retries from the cursor while the broker fails: every change arrives, in order, the cursor never passes an unacknowledged one', async () => {
    const feed = new MemoryFeed();
    const sink = new FlakySink();
    const cursor = { value: '0' };
    const advanced: string[] = [];
    const lease = leases(cursor);
    const publisher = new ChangePublisher(
      sink,
      feed,
      {
        async tryAcquire() {
          const held = (await lease.tryAcquire())!;
          return { ...held, advance: async (r: string) => (advanced.push(r), held.advance(r)) };
        },
      },
      settings,
      silent,
      noEvents,
    );
    feed.append(10);
    sink.failNext = 3;
    publisher.start();
    await until(() => cursor.value === '10');
    await publisher.stop();
    expect(advanced).toEqual(['7', '10']);
    // Duplicates of a failed round's head, then everything once in order.
    const firstDelivery = sink.received.filter((r, i) => sink.received.indexOf(r) === i);
    expect(firstDelivery).toEqual(feed.log.map((c) => c.revision));
    expect(sink.received.slice(-10)).toEqual(feed.log.map((c) => c.revision));
  });

  it('resumes after what the broker already holds, but not past the end of the log', async () => {
    const feed = new MemoryFeed();
    feed.append(10);
    const sink = new FlakySink();
    sink.stored = '6';
    const cursor = { value: '4' };
    const publisher = new ChangePublisher(sink, feed, leases(cursor), settings, silent, noEvents);
    publisher.start();
    await until(() => cursor.value === '10');
    await publisher.stop();
    expect(sink.received).toEqual(['7', '8', '9', '10']);

    const stale = new FlakySink();
    stale.stored = '99';
    const fresh = { value: '0' };
    const second = new ChangePublisher(stale, feed, leases(fresh), settings, silent, noEvents);
    second.start();
    await until(() => fresh.value === '10');
    await second.stop();
    expect(stale.received).toHaveLength(10);
  });

  it('publishes nothing without the lease', async () => {
    const feed = new MemoryFeed();
    feed.append(3);
    const sink = new FlakySink();
    let attempts = 0;
    const publisher = new ChangePublisher(sink, feed, { tryAcquire: async () => (attempts++, null) }, settings, silent, noEvents);
    publisher.start();
    await until(() => attempts >= 3);
    await publisher.stop();
    expect(sink.received).toEqual([]);
    expect(publisher.status().publishing_here).toBe(false);
  });

  it('counts the revisions pruned before the broker got them, and goes on after them; a new broker starts at the oldest kept without complaint', async () => {
    const feed = new MemoryFeed();
    feed.append(12);
    feed.prunedThrough = 8;
    const skipped: number[] = [];
    const events = { ...noEvents, skipped: (_sink: string, count: number) => void skipped.push(count) };
    const behind = { value: '5' };
    const publisher = new ChangePublisher(new FlakySink(), feed, leases(behind), settings, silent, events);
    publisher.start();
    await until(() => behind.value === '12');
    await publisher.stop();
    expect(skipped).toEqual([3]); // 6, 7 and 8

    const newcomer = { value: '0' };
    const sink = new FlakySink();
    const fresh = new ChangePublisher(sink, feed, leases(newcomer), settings, silent, events);
    fresh.start();
    await until(() => newcomer.value === '12');
    await fresh.stop();
    expect(sink.received).toEqual(['9', '10', '11', '12']);
    expect(skipped).toEqual([3]);
  });
});
