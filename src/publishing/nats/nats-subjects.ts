import type { PublishableChange } from '../publishable-change';
import { changeLevels } from '../topic-names';

/** `<prefix>.<kind>.<vendor>.<region>.<change>` */
export function natsChangeSubject(prefix: string, change: PublishableChange): string {
  return [prefix, ...changeLevels(change)].join('.');
}

/** Every subject the stream holds. */
export function natsStreamSubjects(prefix: string): string[] {
  return [`${prefix}.>`];
}
