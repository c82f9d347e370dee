import type { PublishableChange } from './publishable-change';

/**
 * One token of a topic or subject: the characters that MQTT (`/ + #`) or NATS
 * (`. * >`, whitespace) treat as syntax become `_`, so a vendor's region or
 * instance id never splits a level or turns into a wildcard.
 */
export function topicToken(value: string | null | undefined): string {
  if (!value) return '_';
  return value.replace(/[/+#.*>\s\u0000]/g, '_');
}

/** The levels of a change's event topic after the prefix: kind, vendor, region, change. */
export function changeLevels(change: PublishableChange): string[] {
  return [change.kind, change.vendor, change.region, change.changeType].map(topicToken);
}
