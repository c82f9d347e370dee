import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { connect, IClientOptions, MqttClient } from 'mqtt';
import type { ChangeSink } from '../change-sink';
import { CLOUDEVENTS_CONTENT_TYPE, payloadWithin } from '../cloud-event';
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
  /** The largest packet the broker takes when it does not announce it (mosquitto's message_size_limit). */
  maxPacketBytes?: number;
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
  /** The broker's Maximum Packet Size (its CONNACK), when it has one: it drops the connection of a client that sends a larger packet. */
  private maximumPacketSize = Infinity;
  /** A PUBACK the client could not read in the current round: the broker refused a publish with a reason code MQTT 5 does not allow there. */
  private unreadableAck: Error | null = null;

  constructor(private readonly settings: MqttSinkSettings) {}

  async publish(changes: PublishableChange[]): Promise<void> {
    const client = await this.connected();
    this.unreadableAck = null;
    const { topicPrefix, source, timeoutMs } = this.settings;
    const properties = { contentType: CLOUDEVENTS_CONTENT_TYPE };
    const acks: Promise<unknown>[] = [];
    for (const change of changes) {
      const [changeTopic, stateTopic] = [mqttChangeTopic(topicPrefix, change), mqttStateTopic(topicPrefix, change)];
      const topicBytes = Math.max(Buffer.byteLength(changeTopic), Buffer.byteLength(stateTopic));
      const payload = payloadWithin(change, source, this.maximumPacketSize - topicBytes - PUBLISH_OVERHEAD);
      acks.push(client.publishAsync(changeTopic, payload, { qos: 1, properties }));
      const state = change.changeType === 'deleted' ? '' : payload;
      acks.push(client.publishAsync(stateTopic, state, { qos: 1, retain: true, properties }));
    }
    try {
      await withTimeout(Promise.all(acks), timeoutMs, 'MQTT broker acknowledgement');
    } catch (error) {
      await this.close();
      throw this.explained(error);
    }
  }

  /** A timeout after an unreadable PUBACK says what the broker did and how to fix it. */
  private explained(error: unknown): unknown {
    const unreadable = this.unreadableAck;
    return unreadable ? new Error(`${(error as Error).message}: ${UNREADABLE_ACK_HINT} (${unreadable.message})`) : error;
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
    const { client, maximumPacketSize } = await connectOnce(url, options, timeoutMs);
    client.on('error', (error) => {
      if (/puback/i.test(error.message)) this.unreadableAck = error;
    });
    this.client = client;
    this.maximumPacketSize = Math.min(maximumPacketSize ?? Infinity, this.settings.maxPacketBytes ?? Infinity);
    return client;
  }
}

const UNREADABLE_ACK_HINT =
  "the broker refused a change with a reason code MQTT 5 does not allow in a PUBACK (mosquitto does so for a message over its message_size_limit, which it does not announce): set the broker's max_packet_size instead, or CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES to that limit";

/** More than a QoS 1 PUBLISH takes besides its topic and payload: fixed header, lengths, packet id, the content type property. */
const PUBLISH_OVERHEAD = 64;

/** One connection attempt: resolves once the broker accepted it; on any failure the client is ended, not left retrying. */
function connectOnce(url: string, options: IClientOptions, timeoutMs: number): Promise<{ client: MqttClient; maximumPacketSize?: number }> {
  const client = connect(url, options);
  // Later errors surface as rejected publishes; this listener keeps them from being unhandled.
  client.on('error', () => undefined);
  const attempt = new Promise<{ client: MqttClient; maximumPacketSize?: number }>((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, maximumPacketSize: connack.properties?.maximumPacketSize }));
    client.once('error', reject);
    client.once('close', () => reject(new Error('MQTT broker closed the connection')));
  });
  return withTimeout(attempt, timeoutMs, 'MQTT broker connection').catch((error: unknown) => {
    client.end(true);
    throw error;
  });
}
