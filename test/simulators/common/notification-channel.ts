/** One notification as a simulator posts it. */
export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * How a simulator's notifications reach their subscriber. Immediate by
 * default; `hold()` keeps them so a test can drop, duplicate, delay or
 * reorder them (`held`, `release`), and `send` posts any delivery, forged ones included.
 */
export class NotificationChannel {
  readonly held: Delivery[] = [];
  /** Every answer received, in order: the status a subscriber gave each delivery. */
  readonly answers: { delivery: Delivery; status: number; body: string }[] = [];
  private holding = false;

  hold(): void {
    this.holding = true;
  }

  /** Stops holding; what is held stays held until released or dropped. */
  resume(): void {
    this.holding = false;
  }

  async publish(delivery: Delivery): Promise<void> {
    if (this.holding) this.held.push(delivery);
    else await this.send(delivery);
  }

  /** Sends the held deliveries in the given order (indexes into `held`; all, in order, by default) and forgets them. */
  async release(order: number[] = this.held.map((_, index) => index)): Promise<void> {
    const picked = order.map((index) => this.held[index]);
    this.held.length = 0;
    for (const delivery of picked) await this.send(delivery);
  }

  /** Loses what is held, as a network would. */
  drop(): void {
    this.held.length = 0;
  }

  async send(delivery: Delivery): Promise<{ status: number; body: string }> {
    const response = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    const answer = { status: response.status, body: await response.text() };
    this.answers.push({ delivery, ...answer });
    return answer;
  }
}
