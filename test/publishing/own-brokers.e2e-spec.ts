import { connect, IClientOptions } from 'mqtt';
import { ownMosquitto, OwnBroker } from './own-brokers';

/**
 * The outage and crash tests restart their own mosquitto under a persistent
 * subscriber and expect every change: that holds only if the broker keeps the
 * subscriber's session (and what was queued for it) across the restart.
 */
describe("the tests' own mosquitto", () => {
  let broker: OwnBroker;
  beforeAll(async () => {
    broker = await ownMosquitto();
  });
  afterAll(() => broker?.destroy());

  it("keeps a persistent subscriber's session and its queued messages across a restart", async () => {
    const subscriber: IClientOptions = { protocolVersion: 5, clientId: 'own-broker-check', clean: false, reconnectPeriod: 0, properties: { sessionExpiryInterval: 600 } };
    const first = connect(broker.url, subscriber);
    await new Promise((resolve) => first.once('connect', resolve));
    await first.subscribeAsync('check/#', { qos: 1 });
    await first.endAsync();

    await broker.stop();
    await broker.start();
    const publisher = connect(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await new Promise((resolve) => publisher.once('connect', resolve));
    await publisher.publishAsync('check/while-away', 'queued', { qos: 1 });
    await publisher.endAsync();

    const again = connect(broker.url, subscriber);
    const received: string[] = [];
    again.on('message', (_topic, payload) => received.push(payload.toString()));
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve) => again.once('connect', resolve));
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await again.endAsync();
    expect(connack.sessionPresent).toBe(true);
    expect(received).toEqual(['queued']);
  });
});
