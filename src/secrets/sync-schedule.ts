import { CronTime, validateCronExpression } from 'cron';

/** The value of a secret's sync_schedule that opts it out of scheduled syncs. */
export const SCHEDULE_OFF = 'off';

/** Slots closer than this are refused: a full sync of an account is not a per-second job. */
const MIN_PERIOD_MS = 60_000;

/** Why a cron expression or time zone cannot be a sync schedule, or null. */
export function scheduleProblem(expression: string, timeZone: string | null): string | null {
  if (expression === SCHEDULE_OFF) return null;
  const { valid, error } = validateCronExpression(expression);
  if (!valid) return `sync_schedule is not a valid cron expression: ${error?.message ?? 'unreadable'}`;
  if (timeZone && !isTimeZone(timeZone)) return `sync_timezone ${timeZone} is not an IANA time zone`;
  let slots: { toMillis(): number }[];
  try {
    slots = new CronTime(expression, timeZone ?? undefined).sendAt(2);
  } catch {
    // cron gives up when it finds no slot in years: 30 February and the like.
    return 'sync_schedule never fires (no date matches it)';
  }
  const [first, second] = slots;
  if (second.toMillis() - first.toMillis() < MIN_PERIOD_MS) return 'sync_schedule fires more often than once a minute';
  return null;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The schedule a secret follows: its own, else the global default; null when it has none or opted out. */
export function effectiveSchedule(own: string | null, globalDefault: string | null): string | null {
  const schedule = own ?? globalDefault;
  return schedule && schedule !== SCHEDULE_OFF ? schedule : null;
}

export function nextSlot(expression: string, timeZone: string | null, after: Date): Date {
  return new CronTime(expression, timeZone ?? undefined).getNextDateFrom(after, timeZone ?? undefined).toJSDate();
}

const LOOKBACK_MS = 31 * 24 * 3600_000;

/** The latest slot in (after, now], or null: a server back from downtime runs that one, not every missed one. */
export function latestSlotBetween(expression: string, timeZone: string | null, after: Date, now: Date): Date | null {
  const latestFrom = (start: Date) => {
    let latest: Date | null = null;
    for (let slot = nextSlot(expression, timeZone, start); slot <= now; slot = nextSlot(expression, timeZone, slot)) latest = slot;
    return latest;
  };
  // Start a month back at most (a yearly schedule has few slots: from the start then).
  const recent = new Date(Math.max(after.getTime(), now.getTime() - LOOKBACK_MS));
  return latestFrom(recent) ?? (recent > after ? latestFrom(after) : null);
}
