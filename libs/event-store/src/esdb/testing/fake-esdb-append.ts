/**
 * Streams.Append (client streaming: options, then proposed messages) and Streams.BatchAppend (bidirectional, requests
 * keyed by correlation id, split over several messages until `is_final`, each with its own deadline) of the fake.
 */
import { status as GrpcStatus, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream } from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import {
  AllStreamPosition,
  BadRequest,
  MaximumAppendSizeExceeded,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Empty as SharedEmpty } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import {
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  EXPECTED_STREAM_EXISTS,
  type AppendOutcome,
  type FakeEsdbLog,
  type ProposedEvent,
} from './fake-esdb-log';
import {
  CONTENT_TYPE_JSON,
  invalidArgument,
  packedStatus,
  parseUuid,
  rpcError,
  streamNameOf,
  toStreamIdentifier,
  uint64,
} from './fake-esdb-wire';

export interface AppendContext {
  readonly log: FakeEsdbLog;
  /** EventStoreDB's --max-append-size (default 1 MiB). */
  readonly maxAppendSize: number;
  /** EventStoreDB's --write-timeout-ms (default 2000): the cap on a BatchAppend request's own deadline. */
  readonly writeTimeoutMs: number;
  /** True while the node is "not ready": BatchAppend answers each request with the server's NotHandled status. */
  readonly notReady: () => boolean;
  /** True while the node hangs: requests on already open BatchAppend streams are swallowed without an answer. */
  readonly hung: () => boolean;
}

type Proposed = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

function toProposedEvent(message: Proposed): ProposedEvent {
  const metadata = message.getMetadataMap();
  const eventType = metadata.get('type');
  const contentType = metadata.get('content-type');
  for (const [key, value] of [['type', eventType], ['content-type', contentType]] as const) {
    if (value === undefined) {
      throw rpcError(GrpcStatus.INVALID_ARGUMENT, `Required Metadata Property '${key}' is missing`, {
        exception: 'missing-required-metadata-property',
        'required-metadata-properties': key,
      });
    }
  }
  return {
    eventId: parseUuid(message.getId()),
    eventType: eventType!,
    isJson: contentType === CONTENT_TYPE_JSON,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** The server's Event.SizeOnDisk, which is what --max-append-size limits. */
const sizeOnDisk = (event: ProposedEvent) => event.data.length + event.metadata.length + event.eventType.length * 2;

function maxAppendSizeExceeded(max: number) {
  return rpcError(GrpcStatus.INVALID_ARGUMENT, `Maximum Append Size of ${max} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(max),
  });
}

export function handleAppend(
  context: AppendContext,
  call: ServerReadableStream<AppendReq, AppendResp>,
  callback: sendUnaryData<AppendResp>,
): void {
  let options: AppendReq.Options | undefined;
  const events: ProposedEvent[] = [];
  let size = 0;
  let answered = false;
  const answer = (error: Error | null, response?: AppendResp) => {
    if (answered) return;
    answered = true;
    callback(error, response);
  };
  call.on('data', (request: AppendReq) => {
    if (answered) return;
    try {
      if (!options) {
        if (!request.hasOptions()) throw invalidArgument('The first Append message must carry the options');
        options = request.getOptions()!;
        return;
      }
      if (!request.hasProposedMessage()) throw invalidArgument('Expected a proposed message');
      const event = toProposedEvent(request.getProposedMessage()!);
      size += sizeOnDisk(event);
      if (size > context.maxAppendSize) throw maxAppendSizeExceeded(context.maxAppendSize);
      events.push(event);
    } catch (error) {
      answer(error as Error);
    }
  });
  call.on('end', () => {
    if (answered) return;
    try {
      if (!options) throw invalidArgument('The Append call carried no options');
      const expected = appendExpectedVersion(options);
      const outcome = context.log.append(streamNameOf(options.getStreamIdentifier()), expected, events);
      answer(null, toAppendResp(outcome, expected));
    } catch (error) {
      answer(error as Error);
    }
  });
}

function appendExpectedVersion(options: AppendReq.Options): bigint {
  const Case = AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.REVISION:
      return uint64(options.getRevision());
    case Case.ANY:
      return EXPECTED_ANY;
    case Case.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case Case.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    default:
      throw invalidArgument('Expected stream revision not set');
  }
}

function toAppendResp(outcome: AppendOutcome, expected: bigint): AppendResp {
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success();
    if (outcome.lastRevision < 0n) success.setNoStream(new SharedEmpty());
    else success.setCurrentRevision(outcome.lastRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new SharedEmpty());
    else {
      const position = outcome.position.toString();
      success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    }
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.currentVersion < 0n) wrong.setCurrentNoStream(new SharedEmpty());
  else wrong.setCurrentRevision(outcome.currentVersion.toString());
  if (expected === EXPECTED_ANY) wrong.setExpectedAny(new SharedEmpty());
  else if (expected === EXPECTED_STREAM_EXISTS) wrong.setExpectedStreamExists(new SharedEmpty());
  else if (expected === EXPECTED_NO_STREAM) wrong.setExpectedNoStream(new SharedEmpty());
  else wrong.setExpectedRevision(expected.toString());
  return new AppendResp().setWrongExpectedVersion(wrong);
}

interface PendingBatch {
  readonly streamName: string;
  readonly expected: bigint;
  readonly events: ProposedEvent[];
  size: number;
  readonly timer: NodeJS.Timeout;
}

export function handleBatchAppend(context: AppendContext, call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
  const pending = new Map<string, PendingBatch>();
  const reply = (correlationId: UUID | undefined, streamName: string | undefined, build: (r: BatchAppendResp) => void) => {
    if (call.cancelled || call.destroyed || call.writableEnded) return;
    const response = new BatchAppendResp();
    if (correlationId) response.setCorrelationId(correlationId);
    if (streamName !== undefined) response.setStreamIdentifier(toStreamIdentifier(streamName));
    build(response);
    call.write(response);
  };
  const fail = (correlationId: UUID | undefined, streamName: string | undefined, error: Status) =>
    reply(correlationId, streamName, (r) => r.setError(error));

  call.on('data', (request: BatchAppendReq) => {
    if (context.hung()) return;
    const correlation = request.getCorrelationId();
    let streamName: string | undefined;
    try {
      const id = parseUuid(correlation);
      if (request.hasOptions()) {
        const options = request.getOptions()!;
        streamName = streamNameOf(options.getStreamIdentifier());
        const requested = options.hasDeadline() ? options.getDeadline()!.toDate().getTime() - Date.now() : Infinity;
        const timeoutMs = Math.min(requested, context.writeTimeoutMs);
        if (timeoutMs <= 0) return fail(correlation, streamName, packedStatus(GrpcStatus.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'event_store.client.Timeout'));
        if (!pending.has(id)) {
          const name = streamName;
          const timer = setTimeout(() => {
            if (pending.delete(id)) fail(correlation, name, packedStatus(GrpcStatus.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'event_store.client.Timeout'));
          }, timeoutMs);
          pending.set(id, { streamName, expected: batchExpectedVersion(options), events: [], size: 0, timer });
        }
      }
      const batch = pending.get(id);
      if (!batch) return;
      streamName = batch.streamName;
      for (const message of request.getProposedMessagesList()) {
        const event = toProposedEvent(message);
        batch.size += sizeOnDisk(event);
        batch.events.push(event);
      }
      if (batch.size > context.maxAppendSize) {
        pending.delete(id);
        clearTimeout(batch.timer);
        const detail = new MaximumAppendSizeExceeded().setMaxappendsize(context.maxAppendSize);
        return fail(correlation, streamName, packedStatus(GrpcStatus.INVALID_ARGUMENT, 'Maximum Append Size Exceeded', detail, 'event_store.client.MaximumAppendSizeExceeded'));
      }
      if (!request.getIsFinal() || !pending.delete(id)) return;
      clearTimeout(batch.timer);
      if (context.notReady()) {
        return fail(correlation, streamName, packedStatus(GrpcStatus.OK, 'Server Is Not Ready', new Empty(), 'google.protobuf.Empty'));
      }
      const outcome = context.log.append(batch.streamName, batch.expected, batch.events);
      reply(correlation, streamName, (r) => writeOutcome(r, outcome, batch.expected));
    } catch (error) {
      const message = (error as { details?: string }).details ?? (error as Error).message;
      fail(correlation, streamName, packedStatus(GrpcStatus.INVALID_ARGUMENT, message, new BadRequest().setMessage(message), 'event_store.client.BadRequest'));
    }
  });
  const clear = () => {
    for (const batch of pending.values()) clearTimeout(batch.timer);
    pending.clear();
  };
  call.on('end', () => {
    clear();
    if (!call.cancelled && !call.destroyed && !call.writableEnded) call.end();
  });
  call.on('cancelled', clear);
  call.on('error', clear);
}

function batchExpectedVersion(options: BatchAppendReq.Options): bigint {
  const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.STREAM_POSITION:
      return uint64(options.getStreamPosition());
    case Case.ANY:
      return EXPECTED_ANY;
    case Case.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case Case.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    default:
      throw invalidArgument('Expected stream position not set');
  }
}

function writeOutcome(response: BatchAppendResp, outcome: AppendOutcome, expected: bigint): void {
  if (outcome.kind === 'success') {
    const success = new BatchAppendResp.Success();
    if (outcome.lastRevision < 0n) success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.lastRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else {
      const position = outcome.position.toString();
      success.setPosition(new AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
    }
    response.setSuccess(success);
    return;
  }
  const detail = new WrongExpectedVersion();
  if (outcome.currentVersion < 0n) detail.setCurrentNoStream(new Empty());
  else detail.setCurrentStreamRevision(outcome.currentVersion.toString());
  if (expected === EXPECTED_ANY) detail.setExpectedAny(new Empty());
  else if (expected === EXPECTED_STREAM_EXISTS) detail.setExpectedStreamExists(new Empty());
  else if (expected === EXPECTED_NO_STREAM) detail.setExpectedNoStream(new Empty());
  else detail.setExpectedStreamPosition(expected.toString());
  response.setError(packedStatus(GrpcStatus.FAILED_PRECONDITION, 'WrongExpectedVersion', detail, 'event_store.client.WrongExpectedVersion'));
}
