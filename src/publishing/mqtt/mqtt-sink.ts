import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { connect, IClientOptions, MqttClient } from 'mqtt';
import type { ChangeSink } from '../change-sink';
import { CLOUDEVENTS_CONTENT_TYPE, structuredPayload } from '../cloud-event';
import type { PublishableChange } from '../publishable-change';
import { withTimeout } from '../with-timeout';
import { mqttChangeTopic, mqttStateTopic } from './mqtt-topics';

export interface MqttSinkSettings {
  url: string;
  username?: string;
  password?: string;
  /** PEM file of the CA that signed the broker's certificate (mqtts://, wss://). */
  caFile?: string;
  topicPrefix: string;
  source: string;
  timeoutMs: number;
}

/**
 * Each change as a QoS 1 event on its change topic, then as the retained state
 * of its resource (an empty retained message clears it on delete), so a late
 * subscriber to `<prefix>/#` gets every current state first, then the changes.
 * The client does not reconnect by itself: the publisher reconnects and
 * re-sends from its cursor, so nothing queued in a dead client is sent out of
 * order later.
 */
export class MqttSink implements ChangeSink {
  readonly name = 'mqtt';
  private client: MqttClient | null = null;

  constructor(private readonly settings: MqttSinkSettings) {}

  async publish(changes: PublishableChange[]): Promise<void> {
    const client = await this.connected();
    const { topicPrefix, source, timeoutMs } = this.settings;
    const properties = { contentType: CLOUDEVENTS_CONTENT_TYPE };
    const acks: Promise<unknown>[] = [];
    for (const change of changes) {
      const payload = structuredPayload(change, source);
      acks.push(client.publishAsync(mqttChangeTopic(topicPrefix, change), payload, { qos: 1, properties }));
      const state = change.changeType === 'deleted' ? '' : payload;
      acks.push(client.publishAsync(mqttStateTopic(topicPrefix, change), state, { qos: 1, retain: true, properties }));
    }
    try {
      await withTimeout(Promise.all(acks), timeoutMs, 'MQTT broker acknowledgement');
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true).catch(() => undefined);
  }

  private async connected(): Promise<MqttClient> {
    if (this.client?.connected) return this.client;
    await this.close();
    const { url, username, password, caFile, timeoutMs } = this.settings;
    const options: IClientOptions = {
      protocolVersion: 5,
      clientId: `cmdb-publisher-${randomBytes(6).toString('hex')}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      username,
      password,
      ...(caFile ? { ca: readFileSync(caFile) } : {}),
    };
    this.client = await connectOnce(url, options, timeoutMs);
    return this.client;
  }
}

/** One connection attempt: resolves once the broker accepted it; on any failure the client is ended, not left retrying. */
function connectOnce(url: string, options: IClientOptions, timeoutMs: number): Promise<MqttClient> {
  const client = connect(url, options);
  // Later errors surface as rejected publishes; this listener keeps them from being unhandled.
  client.on('error', () => undefined);
  const attempt = new Promise<MqttClient>((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(new Error('MQTT broker closed the connection')));
  });
  return withTimeout(attempt, timeoutMs, 'MQTT broker connection').catch((error: unknown) => {
    client.end(true);
    throw error;
  });
}
