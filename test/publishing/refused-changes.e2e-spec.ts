import { Logger } from '@nestjs/common';
import type { ChangeFeed } from '../../src/publishing/change-feed';
import { ChangePublisher } from '../../src/publishing/change-publisher';
import type { ChangeSink } from '../../src/publishing/change-sink';
import { MqttSink } from '../../src/publishing/mqtt/mqtt-sink';
import { NatsSink, type NatsSinkSettings } from '../../src/publishing/nats/nats-sink';
import type { PublishableChange } from '../../src/publishing/publishable-change';
import { clearRetained, collectMqtt, deleteStream, eventually, readStream, withStreams } from './bus-clients';
import { ownMosquitto, type OwnBroker } from './own-brokers';
import { MACHINE_MQTT, MACHINE_NATS, type ReceivedEvent, uniqueBus } from './publish-fixture';

/**
 * Changes a broker cannot take as they are (too large for it, or a topic it
 * refuses): the publisher must neither lose them nor stop at them for good.
 * Sinks and a publisher over a log in memory, against real brokers.
 */
describe('changes a broker refuses', () => {
  const change = (revision: number, overrides: Partial<PublishableChange> = {}): PublishableChange => ({
    revision: String(revision),
    time: new Date('2026-01-02T03:04:05.000Z'),
    kind: 'host',
    vendor: 'aliyun',
    instanceId: `i-${revision}`,
    region: 'cn-hangzhou',
    changeType: 'updated',
    object: { instance_id: `i-${revision}`, name: `web-${revision}` },
    changedFields: { name: { old: 'web', new: `web-${revision}` } },
    origin: { trigger: 'sync', jobId: null, eventId: null },
    ...overrides,
  });
  const large = (revision: number, bytes: number) => change(revision, { object: { instance_id: `i-${revision}`, user_data: 'x'.repeat(bytes) } });

  const silent = new Logger('refused-changes');
  silent.log = () => undefined;
  silent.warn = () => undefined;
  silent.error = () => undefined;

  /** Publishes the whole log from `from` with a publisher of its own; fails when the cursor does not reach its end within 20 s. */
  async function publishAll(sink: ChangeSink, log: PublishableChange[], from = '0'): Promise<void> {
    const feed: ChangeFeed = {
      readAfter: async (after, limit) => log.filter((c) => BigInt(c.revision) > BigInt(after)).slice(0, limit),
      latestRevision: async () => log[log.length - 1].revision,
      onCommitted: () => () => undefined,
    };
    const cursor = { value: from };
    const lease = { readCursor: async () => cursor.value, confirm: async () => undefined, advance: async (r: string) => void (cursor.value = r), release: async () => undefined };
    const settings = { batchSize: 50, retryMaxMs: 200, takeoverMs: 50, idlePollMs: 1_000 };
    const publisher = new ChangePublisher(sink, feed, { tryAcquire: async () => lease }, settings, silent, { published() {}, failed() {}, skipped() {} });
    publisher.start();
    const last = log[log.length - 1].revision;
    try {
      await eventually(() => cursor.value === last, `the cursor at ${last}`, 200);
    } catch (error) {
      throw new Error(`${(error as Error).message} (it is at ${cursor.value}; last error: ${publisher.status().last_error})`);
    } finally {
      await publisher.stop();
    }
  }

  describe('on NATS JetStream', () => {
    const buses: { prefix: string; stream: string }[] = [];
    const natsSink = (bus: { prefix: string; stream: string }) =>
      new NatsSink({
        url: MACHINE_NATS,
        topicPrefix: bus.prefix,
        source: 'https://cmdb.test',
        timeoutMs: 2_000,
        stream: { name: bus.stream, maxAgeSeconds: 3_600, maxBytes: -1, maxMessages: -1, replicas: 1, duplicateWindowSeconds: 120 },
      } satisfies NatsSinkSettings);
    const stored = async (bus: { stream: string }) => (await readStream(MACHINE_NATS, bus.stream)).map((m) => JSON.parse(m.payload) as ReceivedEvent & { dataomitted?: string });
    afterAll(async () => {
      for (const bus of buses) await deleteStream(MACHINE_NATS, bus.stream);
    });

    it("stores a change over the server's max_payload without its object, in order, and goes on (it was skipped silently)", async () => {
      const bus = uniqueBus();
      buses.push(bus);
      await publishAll(natsSink(bus), [change(1), large(2, 1_100_000), change(3), change(4)]);

      const events = await stored(bus);
      expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4']);
      expect(events[1]).toMatchObject({ type: 'cmdb.host.updated', subject: 'aliyun/i-2', dataomitted: 'too_large', data: { object: null, changed_fields: null, origin: { trigger: 'sync' } } });
      expect(events[2].data.object).toEqual({ instance_id: 'i-3', name: 'web-3' });
      expect(events[2]).not.toHaveProperty('dataomitted');
    });

    it('keeps revision order when the stream refuses one change of a round, and a restarted publisher does not skip it', async () => {
      const bus = uniqueBus();
      buses.push(bus);
      const sink = natsSink(bus);
      await sink.publish([change(1)]); // connected, with the stream as it was then
      // Someone lowers the stream's largest message under the running publisher.
      await withStreams(MACHINE_NATS, async (manager) => {
        const { config } = await manager.streams.info(bus.stream);
        await manager.streams.update(bus.stream, { ...config, max_msg_size: 4_096 });
      });
      // Revision 2 is over the new limit, 3 and 4 are not: the stream refuses 2 and must not store 3 and 4 before it.
      await expect(sink.publish([large(2, 8_000), change(3), change(4)])).rejects.toThrow();
      await sink.close();
      expect((await stored(bus)).map((e) => e.id)).toEqual(['1']);

      // A process started now resumes after what the stream holds: after 1, not after 4.
      const restarted = natsSink(bus);
      expect(await restarted.storedRevision()).toBe('1');
      await publishAll(restarted, [change(1), large(2, 8_000), change(3), change(4)], '1');
      const events = await stored(bus);
      expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4']);
      expect(events[1]).toMatchObject({ dataomitted: 'too_large' });
    });
  });

  describe('on MQTT', () => {
    let broker: OwnBroker;
    const settings = (url: string, prefix: string) => ({ url, topicPrefix: prefix, source: 'https://cmdb.test', timeoutMs: 2_000 });
    beforeAll(async () => {
      broker = await ownMosquitto(undefined, ['max_packet_size 4096']);
    });
    afterAll(() => broker?.destroy());

    it("publishes a change over the broker's maximum packet size without its object, as the event and the retained state (it blocked every later change)", async () => {
      const { prefix } = uniqueBus();
      const watcher = await collectMqtt(broker.url, `${prefix}/#`);
      try {
        await publishAll(new MqttSink(settings(broker.url, prefix)), [change(1), large(2, 8_000), change(3)]);
        await eventually(() => watcher.messages.length >= 6, 'every event and state');
        const events = watcher.messages.filter((m) => !m.topic.includes('/state/')).map((m) => JSON.parse(m.payload) as ReceivedEvent & { dataomitted?: string });
        expect(events.map((e) => e.id)).toEqual(['1', '2', '3']);
        expect(events[1]).toMatchObject({ dataomitted: 'too_large', data: { object: null, changed_fields: null } });
        const state = watcher.messages.find((m) => m.topic === `${prefix}/state/host/aliyun/i-2`);
        expect(JSON.parse(state!.payload)).toMatchObject({ id: '2', dataomitted: 'too_large' });
      } finally {
        await watcher.close();
      }
    });

    it('publishes a change whose instance id or region holds control characters or non-characters (the broker dropped the connection at each attempt)', async () => {
      const { prefix } = uniqueBus();
      const watcher = await collectMqtt(MACHINE_MQTT, `${prefix}/#`);
      const odd = change(2, { instanceId: 'i-2\u0001\u007f\uffff', region: 'cn\u0085east' });
      try {
        await publishAll(new MqttSink(settings(MACHINE_MQTT, prefix)), [change(1), odd, change(3)]);
        await eventually(() => watcher.messages.length >= 6, 'every event and state');
        expect(watcher.messages.map((m) => m.topic)).toContain(`${prefix}/host/aliyun/cn_east/updated`);
        expect(watcher.messages.map((m) => m.topic)).toContain(`${prefix}/state/host/aliyun/i-2___`);
      } finally {
        await watcher.close();
        await clearRetained(MACHINE_MQTT, [1, 3].map((i) => `${prefix}/state/host/aliyun/i-${i}`).concat(`${prefix}/state/host/aliyun/i-2___`));
      }
    });

    describe("on a broker whose limit is mosquitto's message_size_limit (not announced to clients)", () => {
      let limited: OwnBroker;
      beforeAll(async () => {
        limited = await ownMosquitto(undefined, ['message_size_limit 4096']);
      });
      afterAll(() => limited?.destroy());

      it('says what the broker did and how to fix it, instead of only timing out', async () => {
        const sink = new MqttSink(settings(limited.url, uniqueBus().prefix));
        try {
          await expect(sink.publish([change(1), large(2, 8_000)])).rejects.toThrow(/message_size_limit.*CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES/);
        } finally {
          await sink.close();
        }
      });

      it('publishes a change over CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES without its object, and goes on', async () => {
        const { prefix } = uniqueBus();
        const watcher = await collectMqtt(limited.url, `${prefix}/#`);
        try {
          await publishAll(new MqttSink({ ...settings(limited.url, prefix), maxPacketBytes: 4_096 }), [change(1), large(2, 8_000), change(3)]);
          await eventually(() => watcher.messages.length >= 6, 'every event and state');
          const events = watcher.messages.filter((m) => !m.topic.includes('/state/')).map((m) => JSON.parse(m.payload) as ReceivedEvent & { dataomitted?: string });
          expect(events.map((e) => e.id)).toEqual(['1', '2', '3']);
          expect(events[1]).toMatchObject({ dataomitted: 'too_large', data: { object: null } });
        } finally {
          await watcher.close();
        }
      });
    });
  });
});
