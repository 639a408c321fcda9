/**
 * Streams.Read of the fake: one-shot reads of a stream or of $all (forwards/backwards, from start/end/a position)
 * and the subscription variants (confirmation, catch-up, CaughtUp, live, FellBehind, filter checkpoints).
 */
import { randomUUID } from 'node:crypto';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { FakeEsdbLog, StoredEvent } from './fake-esdb-log';
import { invalidArgument, streamNameOf, toReadResp, toStreamIdentifier, uint64 } from './fake-esdb-wire';
import { drained, SubscriptionPump, type EventSource, type ReadCall } from './fake-esdb-subscription';

const RevisionCase = ReadReq.Options.StreamOptions.RevisionOptionCase;
const AllCase = ReadReq.Options.AllOptions.AllOptionCase;
// The server's page size, which is also the default filter search window.
const READ_BATCH_SIZE = 32;

export function handleRead(log: FakeEsdbLog, call: ReadCall): void {
  const options = call.request.getOptions();
  if (!options) throw invalidArgument('Read options are required');
  if (!options.hasStream() && !options.hasAll()) throw invalidArgument('Read needs a stream or $all');
  const filter = options.hasFilter() ? parseFilter(options.getFilter()!) : undefined;
  const uuidOption = options.getUuidOption();

  if (options.hasSubscription()) {
    const pump = options.hasStream()
      ? streamSubscription(log, call, options.getStream()!)
      : allSubscription(log, call, options.getAll()!, filter);
    void pump.run();
    return;
  }

  const count = Math.min(Number(uint64(options.getCount())), Number.MAX_SAFE_INTEGER);
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const streamName = streamNameOf(streamOptions.getStreamIdentifier());
    const stream = log.stream(streamName);
    if (!stream) {
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(toStreamIdentifier(streamName));
      call.write(new ReadResp().setStreamNotFound(notFound));
      call.end();
      return;
    }
    void writeAll(call, streamSlice(stream, streamOptions, backwards, count), uuidOption);
    return;
  }
  void writeAll(call, allSlice(log, options.getAll()!, backwards, count, filter?.predicate), uuidOption);
}

function* streamSlice(
  stream: readonly StoredEvent[],
  options: ReadReq.Options.StreamOptions,
  backwards: boolean,
  count: number,
): Generator<StoredEvent> {
  const last = stream.length - 1;
  const revisionCase = options.getRevisionOptionCase();
  const revision = revisionCase === RevisionCase.REVISION ? uint64(options.getRevision()) : undefined;
  let emitted = 0;
  if (backwards) {
    let from = revisionCase === RevisionCase.START ? 0 : last;
    if (revision !== undefined) from = revision > BigInt(last) ? last : Number(revision);
    for (let i = from; i >= 0 && emitted < count; i--, emitted++) yield stream[i];
    return;
  }
  let from = revisionCase === RevisionCase.END ? stream.length : 0;
  if (revision !== undefined) from = revision > BigInt(last) ? stream.length : Number(revision);
  for (let i = from; i <= last && emitted < count; i++, emitted++) yield stream[i];
}

function* allSlice(
  log: FakeEsdbLog,
  options: ReadReq.Options.AllOptions,
  backwards: boolean,
  count: number,
  predicate: ((event: StoredEvent) => boolean) | undefined,
): Generator<StoredEvent> {
  const allCase = options.getAllOptionCase();
  let emitted = 0;
  if (backwards) {
    // Backwards reads take a post-position: events strictly before it.
    let from = allCase === AllCase.START ? -1 : log.length - 1;
    if (allCase === AllCase.POSITION) from = indexAtOrAfter(log, options.getPosition()!) - 1;
    for (let i = from; i >= 0 && emitted < count; i--) {
      const event = log.at(i);
      if (predicate && !predicate(event)) continue;
      emitted++;
      yield event;
    }
    return;
  }
  // Forwards reads take a pre-position: events at or after it.
  let from = allCase === AllCase.END ? log.length : 0;
  if (allCase === AllCase.POSITION) from = indexAtOrAfter(log, options.getPosition()!);
  for (let i = from; i < log.length && emitted < count; i++) {
    const event = log.at(i);
    if (predicate && !predicate(event)) continue;
    emitted++;
    yield event;
  }
}

/** First event whose (commit, prepare) is >= the given pair; every event here has commit == prepare. */
function indexAtOrAfter(log: FakeEsdbLog, position: ReadReq.Options.Position): number {
  const commit = uint64(position.getCommitPosition());
  const prepare = uint64(position.getPreparePosition());
  const index = log.indexAtOrAfter(commit);
  if (index < log.length && log.at(index).logPosition === commit && commit < prepare) return index + 1;
  return index;
}

async function writeAll(
  call: ReadCall,
  events: Iterable<StoredEvent>,
  uuidOption: ReadReq.Options.UUIDOption | undefined,
): Promise<void> {
  for (const event of events) {
    if (call.cancelled || call.destroyed) return;
    if (!call.write(toReadResp(event, uuidOption))) await drained(call);
  }
  if (!call.cancelled && !call.destroyed) call.end();
}

export interface ParsedFilter {
  readonly predicate: (event: StoredEvent) => boolean;
  readonly checkpointInterval: number;
}

function parseFilter(filter: ReadReq.Options.FilterOptions): ParsedFilter {
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw invalidArgument('A filter needs a stream identifier or an event type expression');
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const multiplier = filter.getCheckpointintervalmultiplier();
  if (multiplier <= 0) throw invalidArgument('checkpointIntervalMultiplier must be greater than 0');
  const window = filter.hasMax() ? filter.getMax() : READ_BATCH_SIZE;
  return {
    predicate: (event) => {
      const value = onStream ? event.streamName : event.eventType;
      if (prefixes.length > 0) return prefixes.some((prefix) => value.startsWith(prefix));
      return regex ? regex.test(value) : true;
    },
    checkpointInterval: multiplier * window,
  };
}

function allSubscription(
  log: FakeEsdbLog,
  call: ReadCall,
  options: ReadReq.Options.AllOptions,
  filter: ParsedFilter | undefined,
): SubscriptionPump {
  const source: EventSource = { length: () => log.length, at: (i) => log.at(i) };
  let start = 0;
  if (options.getAllOptionCase() === AllCase.END) start = log.length;
  if (options.getAllOptionCase() === AllCase.POSITION) {
    // Like the server: read the one event at/after the position and continue after it, so the checkpoint is exclusive.
    start = Math.min(indexAtOrAfter(log, options.getPosition()!) + 1, log.length);
  }
  return new SubscriptionPump(log, call, source, start, randomUUID(), filter);
}

function streamSubscription(log: FakeEsdbLog, call: ReadCall, options: ReadReq.Options.StreamOptions): SubscriptionPump {
  const streamName = streamNameOf(options.getStreamIdentifier());
  const source: EventSource = {
    length: () => log.stream(streamName)?.length ?? 0,
    at: (i) => log.stream(streamName)![i],
  };
  let start = 0;
  const revisionCase = options.getRevisionOptionCase();
  if (revisionCase === RevisionCase.END) start = source.length();
  // Subscribing from a revision delivers what comes after it.
  if (revisionCase === RevisionCase.REVISION) {
    start = Number(uint64(options.getRevision()) + 1n);
  }
  return new SubscriptionPump(log, call, source, start, randomUUID(), undefined);
}
