import { connect as mqttConnect, IClientOptions, MqttClient } from 'mqtt';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';

export interface MqttReceived {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A subscriber that keeps every message it gets, in arrival order. */
export interface MqttCollector {
  messages: MqttReceived[];
  client: MqttClient;
  close(): Promise<void>;
}

export async function collectMqtt(url: string, filter: string, options: IClientOptions = {}): Promise<MqttCollector> {
  const client = mqttConnect(url, { protocolVersion: 5, reconnectPeriod: 200, ...options });
  const messages: MqttReceived[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), retain: packet.retain }));
  client.on('error', () => undefined);
  // Subscribe on every connection: a clean session forgets its subscriptions with the broker.
  client.on('connect', (connack) => {
    if (!connack.sessionPresent) client.subscribe(filter, { qos: 1 });
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(filter, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    client.once('error', reject);
  });
  return { messages, client, close: () => client.endAsync(true) };
}

/** Clears the retained messages a test left on a broker it shares with others. */
export async function clearRetained(url: string, topics: string[]): Promise<void> {
  const client = mqttConnect(url, { protocolVersion: 5, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await Promise.all(topics.map((topic) => client.publishAsync(topic, '', { qos: 1, retain: true })));
  await client.endAsync();
}

export interface StoredMessage {
  subject: string;
  payload: string;
  headers: Record<string, string>;
}

/** Every message of a JetStream stream, in stream order ([] when the stream does not exist yet). */
export async function readStream(url: string, stream: string): Promise<StoredMessage[]> {
  const nats = await natsConnect({ servers: url, reconnect: false });
  try {
    const manager = await jetstreamManager(nats);
    let last: number;
    try {
      last = (await manager.streams.info(stream)).state.last_seq;
    } catch {
      return [];
    }
    const messages: StoredMessage[] = [];
    for (let seq = 1; seq <= last; seq++) {
      const message = await manager.streams.getMessage(stream, { seq }).catch(() => null);
      if (!message) continue;
      const headers: Record<string, string> = {};
      for (const [key, values] of message.header ?? []) headers[key] = values[0];
      messages.push({ subject: message.subject, payload: message.string(), headers });
    }
    return messages;
  } finally {
    await nats.close();
  }
}

/** How many messages the stream holds (0 when it does not exist yet): cheap enough to poll. */
export function storedCount(url: string, stream: string): Promise<number> {
  return withStreams(url, async (manager) => (await manager.streams.info(stream)).state.messages).catch(() => 0);
}

/** Runs `use` with a JetStream manager of its own connection. */
export async function withStreams<T>(url: string, use: (manager: JetStreamManager) => Promise<T>): Promise<T> {
  const nats = await natsConnect({ servers: url, reconnect: false });
  try {
    return await use(await jetstreamManager(nats));
  } finally {
    await nats.close();
  }
}

export async function deleteStream(url: string, stream: string): Promise<void> {
  await withStreams(url, (manager) => manager.streams.delete(stream).catch(() => false));
}

/** Polls until the condition holds (each test's own timeout bounds it). */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still not true after ${attempts / 10} s: ${what}`);
}
