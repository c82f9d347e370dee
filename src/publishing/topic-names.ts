import type { PublishableChange } from './publishable-change';

/**
 * One token of a topic or subject: the characters that MQTT (`/ + #`) or NATS
 * (`. * >`, whitespace) treat as syntax become `_`, so a vendor's region or
 * instance id never splits a level or turns into a wildcard. So do control
 * characters and Unicode non-characters: Mosquitto drops the connection of a
 * client that publishes to such a topic, which stopped publishing at that
 * change for good.
 */
export function topicToken(value: string | null | undefined): string {
  if (!value) return '_';
  return value.replace(/[/+#.*>\s\p{Cc}\p{Noncharacter_Code_Point}]/gu, '_');
}

/** The levels of a change's event topic after the prefix: kind, vendor, region, change. */
export function changeLevels(change: PublishableChange): string[] {
  return [change.kind, change.vendor, change.region, change.changeType].map(topicToken);
}
