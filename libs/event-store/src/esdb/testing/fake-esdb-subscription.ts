/**
 * One live subscription of the fake server. It walks a cursor over the log instead of queueing live events, so it can
 * never skip or reorder one; the protocol messages follow what a 23.10+ server sends:
 * confirmation first, catch-up events, CaughtUp when the cursor reaches the end, live events, and FellBehind when a
 * slow consumer lets more than the server's live buffer (32 events) pile up, followed by CaughtUp once it is back.
 * Filtered $all subscriptions also emit checkpoints every `multiplier × window` considered events.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { FakeEsdbLog, StoredEvent } from './fake-esdb-log';
import type { ParsedFilter } from './fake-esdb-read';
import { toReadResp } from './fake-esdb-wire';

export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export interface EventSource {
  length(): number;
  at(index: number): StoredEvent;
}

const MAX_LIVE_EVENT_BUFFER = 32;

export class SubscriptionPump {
  private cursor: number;
  private live = false;
  private considered = 0;
  private wake: (() => void) | undefined;
  private readonly stopListening: () => void;

  constructor(
    log: FakeEsdbLog,
    private readonly call: ReadCall,
    private readonly source: EventSource,
    start: number,
    private readonly subscriptionId: string,
    private readonly filter: ParsedFilter | undefined,
  ) {
    this.cursor = start;
    this.stopListening = log.onAppended(() => this.wake?.());
    const stop = () => {
      this.stopListening();
      this.wake?.();
    };
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
  }

  private get done(): boolean {
    return this.call.cancelled || this.call.destroyed || this.call.writableEnded;
  }

  async run(): Promise<void> {
    try {
      const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(this.subscriptionId);
      await this.send(new ReadResp().setConfirmation(confirmation));
      while (!this.done) {
        while (this.cursor < this.source.length() && !this.done) {
          await this.deliver(this.source.at(this.cursor++));
        }
        if (this.done) break;
        if (!this.live) {
          this.live = true;
          await this.send(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
        }
        await this.nextAppend();
      }
    } finally {
      this.stopListening();
    }
  }

  private async deliver(event: StoredEvent): Promise<void> {
    if (!this.filter || this.filter.predicate(event)) await this.send(toReadResp(event, this.call.request.getOptions()?.getUuidOption()));
    if (!this.filter) return;
    this.considered++;
    if (this.considered >= this.filter.checkpointInterval) {
      this.considered = 0;
      const checkpoint = new ReadResp.Checkpoint()
        .setCommitPosition(event.logPosition.toString())
        .setPreparePosition(event.logPosition.toString());
      await this.send(new ReadResp().setCheckpoint(checkpoint));
    }
  }

  private async send(message: ReadResp): Promise<void> {
    if (this.done) return;
    if (this.call.write(message)) return;
    const backlog = this.source.length() - this.cursor;
    if (this.live && backlog > MAX_LIVE_EVENT_BUFFER) {
      this.live = false;
      this.call.write(new ReadResp().setFellBehind(new ReadResp.FellBehind()));
    }
    await drained(this.call);
  }

  private nextAppend(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      if (this.done || this.cursor < this.source.length()) this.wake();
    });
  }
}

/** Waits until the transport takes more data, or the call goes away. */
export function drained(call: ReadCall): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}
