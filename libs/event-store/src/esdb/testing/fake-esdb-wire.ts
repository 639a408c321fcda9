/**
 * Conversions between the fake's stored events and the protobuf messages the client ships (its own generated
 * google-protobuf classes, so the bytes on the wire are exactly what a real server would produce for these fields).
 */
import { Metadata, status as GrpcStatus, type ServerErrorResponse } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import type { StoredEvent } from './fake-esdb-log';

export const CONTENT_TYPE_JSON = 'application/json';
const CONTENT_TYPE_BINARY = 'application/octet-stream';

/** Reads a UUID in either encoding the protocol allows, normalised to lower-case text. */
export function parseUuid(uuid: UUID | undefined): string {
  if (!uuid) throw invalidArgument('A UUID is required');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
    bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const text = uuid.getString().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) {
    throw invalidArgument(`"${uuid.getString()}" is not a UUID`);
  }
  return text;
}

function toUuid(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  const value = new UUID.Structured();
  value.setMostSignificantBits(bytes.readBigInt64BE(0).toString());
  value.setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return uuid.setStructured(value);
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw invalidArgument('Required field StreamIdentifier not set.');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function toStreamIdentifier(streamName: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(streamName, 'utf8')));
}

export function toReadResp(event: StoredEvent, uuidOption: ReadReq.Options.UUIDOption | undefined): ReadResp {
  const structured = uuidOption?.hasStructured() ?? true;
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(toUuid(event.eventId, structured));
  recorded.setStreamIdentifier(toStreamIdentifier(event.streamName));
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.logPosition.toString());
  recorded.setPreparePosition(event.logPosition.toString());
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.eventType);
  metadata.set('created', event.createdTicks.toString());
  metadata.set('content-type', event.isJson ? CONTENT_TYPE_JSON : CONTENT_TYPE_BINARY);
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.metadata);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  // Every event in the fake is self-committed, so (like a 23.10+ server) its position is known even in stream reads.
  readEvent.setCommitPosition(event.logPosition.toString());
  return new ReadResp().setEvent(readEvent);
}

/** A gRPC error the way EventStoreDB raises RpcExceptions: status code plus the `exception` trailer the client maps. */
export function rpcError(code: GrpcStatus, details: string, trailers: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function invalidArgument(details: string): ServerErrorResponse {
  return rpcError(GrpcStatus.INVALID_ARGUMENT, details);
}

export function serverNotReady(): ServerErrorResponse {
  return rpcError(GrpcStatus.UNAVAILABLE, 'Server Is Not Ready');
}

/** google.rpc.Status with a packed detail message, as BatchAppend reports per-request failures. */
export function packedStatus(
  code: number,
  message: string,
  detail: { serializeBinary(): Uint8Array },
  typeName: string,
): Status {
  const any = new Any();
  any.pack(detail.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

/** Parses a uint64 carried as a decimal string (the client's generated code uses jstype = JS_STRING). */
export function uint64(value: string): bigint {
  return BigInt(value || '0');
}
