/** One decision request of a load, with what became of it. */
export interface LoadOutcome {
  readonly transactionId: string;
  readonly body: Record<string, unknown>;
  /** The HTTP status, when an answer arrived; undefined when the connection failed first. */
  readonly status?: number;
  readonly answer?: { decisionId?: string; position?: number; type?: string };
  readonly error?: string;
  /** The answer (or the failure) came after `markStop()`: what a drain or a kill met in flight. */
  readonly afterStop: boolean;
}

export interface DecisionLoadOptions {
  readonly url: string;
  readonly headers: () => Record<string, string>;
  /** Prefix of every transactionId, so loads on one data directory never collide. */
  readonly prefix: string;
  readonly concurrency: number;
  /** Each 201 as it arrives. */
  readonly onAck?: (outcome: LoadOutcome) => void;
}

/** A distinct, valid decision request; the same `i` gives the same body (a retry must repeat it exactly). */
export function decisionBody(transactionId: string, i: number): Record<string, unknown> {
  return {
    transactionId,
    occurredAt: '2026-11-21T09:00:00Z',
    amount: 10 + (i % 400),
    currency: 'USD',
    cardId: `card-${i % 37}`,
    merchantId: `m-${i % 11}`,
    channel: i % 3 === 0 ? 'ecom' : 'pos',
    country: 'US',
    attributes: { cardCountry: i % 9 === 0 ? 'FR' : 'US' },
  };
}

export async function postDecision(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/**
 * Concurrent clients, each posting one decision after another. A client stops at its first answer other than 201 or
 * at its first failed connection (the engine is stopping or gone), or when the load is stopped.
 */
export class DecisionLoad {
  readonly outcomes: LoadOutcome[] = [];
  private next = 0;
  private running = true;
  private stopMarked = false;
  private workers: Promise<void>[] = [];
  private live = 0;

  constructor(private readonly options: DecisionLoadOptions) {}

  start(): this {
    this.workers = Array.from({ length: this.options.concurrency }, () => this.worker());
    return this;
  }

  /** Clients still sending. */
  get clientsLeft(): number {
    return this.live;
  }

  get acknowledged(): number {
    return this.outcomes.filter((o) => o.status === 201).length;
  }

  /** From now on outcomes count as met by the stop (call it right before SIGTERM or SIGKILL). */
  markStop(): void {
    this.stopMarked = true;
  }

  /** No client sends another request; resolves when every request sent has its outcome. */
  async stop(): Promise<LoadOutcome[]> {
    this.running = false;
    await Promise.all(this.workers);
    return this.outcomes;
  }

  /** Resolves when every client has stopped by itself (each met a refusal). */
  async finished(): Promise<LoadOutcome[]> {
    await Promise.all(this.workers);
    return this.outcomes;
  }

  private async worker(): Promise<void> {
    this.live++;
    try {
      await this.send();
    } finally {
      this.live--;
    }
  }

  private async send(): Promise<void> {
    while (this.running) {
      const i = this.next++;
      const transactionId = `${this.options.prefix}${i}`;
      const body = decisionBody(transactionId, i);
      let outcome: LoadOutcome;
      try {
        const res = await postDecision(this.options.url, this.options.headers(), body);
        const answer = (await res.json().catch(() => undefined)) as LoadOutcome['answer'];
        outcome = { transactionId, body, status: res.status, answer, afterStop: this.stopMarked };
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        outcome = { transactionId, body, error: cause?.code ?? cause?.message ?? (e as Error).message, afterStop: this.stopMarked };
      }
      this.outcomes.push(outcome);
      if (outcome.status === 201) this.options.onAck?.(outcome);
      else return;
    }
  }
}
