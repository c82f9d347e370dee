import type { TestApp } from '../support/test-app';

/** Polls GET /events/:id until the worker has recorded an outcome (the test's own timeout bounds it). */
export async function waitForEvent(t: TestApp, eventId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const answer = await t.http.get(`/events/${eventId}`).expect(200);
    if (answer.body.status !== 'pending') return answer.body as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
