import { connect } from '@nats-io/transport-node';
import { headers, nanos, type NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type StreamConfig } from '@nats-io/jetstream';
import type { ChangeSink } from '../change-sink';
import { CLOUDEVENTS_CONTENT_TYPE, payloadWithin } from '../cloud-event';
import type { PublishableChange } from '../publishable-change';
import { withTimeout } from '../with-timeout';
import { natsChangeSubject, natsStreamSubjects } from './nats-subjects';

export interface NatsSinkSettings {
  url: string;
  topicPrefix: string;
  source: string;
  timeoutMs: number;
  stream: {
    name: string;
    maxAgeSeconds: number;
    /** -1: unlimited. */
    maxBytes: number;
    /** -1: unlimited. */
    maxMessages: number;
    replicas: number;
    duplicateWindowSeconds: number;
  };
}

/**
 * Each change on its subject of a JetStream stream (created when missing),
 * with `Nats-Msg-Id` = its revision: a change re-sent within the stream's
 * duplicate window is acknowledged but not stored twice. Past the window, the
 * last revision the stream holds tells the publisher where to resume.
 */
export class NatsSink implements ChangeSink {
  readonly name = 'nats';
  private connection: Connection | null = null;

  constructor(private readonly settings: NatsSinkSettings) {}

  async publish(changes: PublishableChange[]): Promise<void> {
    const { js, maxPayload } = await this.connected();
    const { topicPrefix, source, timeoutMs } = this.settings;
    // Each change after the first of a round is stored only if the one before it is the stream's last:
    // a change the stream refuses stops the rest of the round, so the stream never holds a change
    // before an earlier one, and its last change says where to resume, even after a crash.
    const acks = changes.map((change, i) => {
      const header = headers();
      header.set('Content-Type', CLOUDEVENTS_CONTENT_TYPE);
      const payload = payloadWithin(change, source, maxPayload - HEADERS_ALLOWANCE);
      const expect = i > 0 ? { lastMsgID: changes[i - 1].revision } : undefined;
      return js.publish(natsChangeSubject(topicPrefix, change), payload, { msgID: change.revision, expect, headers: header, timeout: timeoutMs });
    });
    try {
      await withTimeout(Promise.all(acks), timeoutMs + 1_000, 'NATS JetStream acknowledgement');
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async storedRevision(): Promise<string | null> {
    const { nats } = await this.connected();
    const manager = await jetstreamManager(nats, { timeout: this.settings.timeoutMs });
    try {
      const last = await manager.streams.getMessage(this.settings.stream.name, { last_by_subj: natsStreamSubjects(this.settings.topicPrefix)[0] });
      return last?.header?.get('Nats-Msg-Id') || null;
    } catch (error) {
      if (isNoMessage(error)) return null;
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await connection.nats.close().catch(() => undefined);
  }

  private async connected(): Promise<Connection> {
    if (this.connection && !this.connection.nats.isClosed()) return this.connection;
    const { url, timeoutMs } = this.settings;
    // No reconnects inside the client: the publisher reconnects and re-sends from its cursor.
    const nats = await connect({ servers: url, timeout: timeoutMs, reconnect: false, name: 'cmdb-publisher' });
    let maxMessageSize: number;
    try {
      maxMessageSize = await this.ensureStream(nats);
    } catch (error) {
      await nats.close().catch(() => undefined);
      throw error;
    }
    // The server refuses a message over its max_payload, the stream one over its max_msg_size (headers included).
    const maxPayload = maxMessageSize > 0 ? Math.min(nats.info!.max_payload, maxMessageSize) : nats.info!.max_payload;
    this.connection = { nats, js: jetstream(nats, { timeout: timeoutMs }), maxPayload };
    return this.connection;
  }

  /**
   * Creates the stream, or brings an existing one to the configured limits
   * and subjects (a changed prefix or retention applies at the next
   * connection; subjects someone else added are kept). Answers the stream's
   * largest message (-1: no limit of its own).
   */
  private async ensureStream(nats: NatsConnection): Promise<number> {
    const manager = await jetstreamManager(nats, { timeout: this.settings.timeoutMs });
    const wanted = this.streamConfig();
    let current: StreamConfig;
    try {
      current = (await manager.streams.info(wanted.name)).config;
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      return (await manager.streams.add(wanted)).config.max_msg_size ?? -1;
    }
    const subjects = [...new Set([...(current.subjects ?? []), ...wanted.subjects])];
    const differs = subjects.length !== (current.subjects ?? []).length || MANAGED_LIMITS.some((limit) => current[limit] !== wanted[limit]);
    if (differs) await manager.streams.update(wanted.name, { ...current, ...wanted, subjects });
    return current.max_msg_size ?? -1;
  }

  private streamConfig(): Pick<StreamConfig, 'name' | 'subjects' | ManagedLimit> {
    const { stream, topicPrefix } = this.settings;
    return {
      name: stream.name,
      subjects: natsStreamSubjects(topicPrefix),
      max_age: nanos(stream.maxAgeSeconds * 1_000),
      max_bytes: stream.maxBytes,
      max_msgs: stream.maxMessages,
      num_replicas: stream.replicas,
      duplicate_window: nanos(stream.duplicateWindowSeconds * 1_000),
    };
  }
}

interface Connection {
  nats: NatsConnection;
  js: JetStreamClient;
  /** The most bytes of payload and headers a message may have. */
  maxPayload: number;
}

/** More than the headers of a message take (`NATS/1.0`, Content-Type, Nats-Msg-Id): they count against the limits too. */
const HEADERS_ALLOWANCE = 256;

/** The stream settings the server owns (CMDB_PUBLISH_NATS_*). */
const MANAGED_LIMITS = ['max_age', 'max_bytes', 'max_msgs', 'num_replicas', 'duplicate_window'] as const;
type ManagedLimit = (typeof MANAGED_LIMITS)[number];

/** The stream is empty (or holds none of our subjects). */
function isNoMessage(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound;
}
