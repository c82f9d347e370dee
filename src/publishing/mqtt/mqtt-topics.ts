import type { PublishableChange } from '../publishable-change';
import { changeLevels, topicToken } from '../topic-names';

/** `<prefix>/<kind>/<vendor>/<region>/<change>`: every change, QoS 1. */
export function mqttChangeTopic(prefix: string, change: PublishableChange): string {
  return [prefix, ...changeLevels(change)].join('/');
}

/** `<prefix>/state/<kind>/<vendor>/<instance_id>`: the retained current state of one resource. */
export function mqttStateTopic(prefix: string, change: PublishableChange): string {
  return [prefix, 'state', topicToken(change.kind), topicToken(change.vendor), topicToken(change.instanceId)].join('/');
}
