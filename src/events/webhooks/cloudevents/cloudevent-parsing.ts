import { CloudEvent, HTTP } from 'cloudevents';

/** The events of one delivery: structured, batched or binary CloudEvents 1.0. Throws with a reason when it is not one. */
export function parseCloudEvents(headers: Record<string, string | string[] | undefined>, body: Buffer): CloudEvent<unknown>[] {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
  const contentType = flat['content-type'] ?? '';
  let text = body.toString('utf8');
  if (/^application\/cloudevents(-batch)?\+json/.test(contentType)) {
    // Tencent's `time` is epoch milliseconds, a number: CloudEvents wants RFC 3339.
    const parsed: unknown = JSON.parse(text);
    const normalised = Array.isArray(parsed) ? parsed.map(normaliseTime) : normaliseTime(parsed);
    text = JSON.stringify(normalised);
  } else if (flat['ce-time'] && /^\d{10,16}$/.test(flat['ce-time'])) {
    flat['ce-time'] = new Date(Number(flat['ce-time'])).toISOString();
  }
  const parsed = HTTP.toEvent({ headers: flat, body: text });
  const events = (Array.isArray(parsed) ? parsed : [parsed]) as CloudEvent<unknown>[];
  if (events.length === 0) throw new Error('the batch holds no event');
  for (const event of events) {
    if (event.specversion !== '1.0') throw new Error(`specversion ${String(event.specversion)} is not 1.0`);
    event.validate();
  }
  return events;
}

function normaliseTime(event: unknown): unknown {
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new Error('an event must be a JSON object');
  const time = (event as { time?: unknown }).time;
  if (typeof time === 'number' || (typeof time === 'string' && /^\d{10,16}$/.test(time))) {
    return { ...event, time: new Date(Number(time)).toISOString() };
  }
  return event;
}
