import type { PublishableChange } from './publishable-change';

/**
 * A broker the change log is published to. The publisher hands it changes in
 * revision order; `publish` resolves only once the broker acknowledged every
 * one of them (the publisher then advances its cursor), and rejects when the
 * broker is down, refused or too slow (the publisher retries from its cursor:
 * at least once).
 */
export interface ChangeSink {
  /** `mqtt` or `nats`: names the cursor, the metrics and the log lines. */
  readonly name: string;
  publish(changes: PublishableChange[]): Promise<void>;
  /**
   * The last revision the broker already holds, when it can tell (a JetStream
   * stream can): the publisher skips past it after a crash between the ack
   * and the cursor write. Null when unknown.
   */
  storedRevision?(): Promise<string | null>;
  /** Drops the connection; the next publish connects again. */
  close(): Promise<void>;
}
