/**
 * An in-memory EventStoreDB speaking the real gRPC protocol, built from the service definitions and protobuf classes
 * that @eventstore/db-client ships. It implements what the client uses for streams:
 *   - ServerFeatures.GetSupportedMethods (advertises Read, Append, BatchAppend, GetSupportedMethods)
 *   - Streams.Read: stream and $all reads (forwards/backwards, start/end/revision/position), stream and $all
 *     subscriptions (confirmation, catch-up, CaughtUp, live, FellBehind, server-side filters with checkpoints)
 *   - Streams.Append and Streams.BatchAppend with expected versions and idempotent duplicate detection.
 * Delete/Tombstone, persistent subscriptions, projections, users and link resolution are not implemented (and not
 * advertised). Nothing is durable: fsync is not a concept here. A fresh fake, like a fresh node, already holds a few
 * `$`-prefixed system events.
 */
import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { EXPECTED_ANY, FakeEsdbLog } from './fake-esdb-log';
import { handleAppend, handleBatchAppend, type AppendContext } from './fake-esdb-append';
import { handleRead } from './fake-esdb-read';
import { rpcError, serverNotReady } from './fake-esdb-wire';

export interface FakeEsdbServerOptions {
  /** Write the system events a fresh node has (default true). */
  readonly seedSystemEvents?: boolean;
  /** --max-append-size, default 1 MiB like the server. */
  readonly maxAppendSize?: number;
  /** --write-timeout-ms, default 2000 like the server. */
  readonly writeTimeoutMs?: number;
}

const FAKE_SERVER_VERSION = '23.10.0';

export class FakeEsdbServer {
  readonly log = new FakeEsdbLog();
  /** How often each RPC was called, by method name ('read', 'append', 'batchAppend', 'getSupportedMethods'). */
  readonly calls = new Map<string, number>();
  private server: Server | undefined;
  private port: number | undefined;
  private unavailable = false;
  private unresponsive = false;
  private readonly openReads = new Set<ServerWritableStream<ReadReq, ReadResp>>();
  private readonly appendContext: AppendContext;

  constructor(options: FakeEsdbServerOptions = {}) {
    this.appendContext = {
      log: this.log,
      maxAppendSize: options.maxAppendSize ?? 1024 * 1024,
      writeTimeoutMs: options.writeTimeoutMs ?? 2000,
      notReady: () => this.unavailable,
      hung: () => this.unresponsive,
    };
    if (options.seedSystemEvents ?? true) seedSystemEvents(this.log);
  }

  get connectionString(): string {
    if (this.port === undefined) throw new Error('The fake EventStoreDB has not been started');
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Listens on 127.0.0.1 (port 0 the first time, the same port again after `stop()`), insecure. */
  async start(): Promise<{ connectionString: string; port: number }> {
    if (this.server) return { connectionString: this.connectionString, port: this.port! };
    const server = new Server();
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: (e: Error | null, v?: SupportedMethods) => void) => {
        this.count('getSupportedMethods');
        if (this.unresponsive) return;
        callback(null, supportedMethods());
      },
    });
    server.addService(StreamsService, {
      read: (call: ServerWritableStream<ReadReq, ReadResp>) => {
        this.count('read');
        if (this.unresponsive) return;
        if (this.unavailable) return void call.emit('error', serverNotReady());
        this.openReads.add(call);
        const forget = () => this.openReads.delete(call);
        call.on('finish', forget);
        call.on('cancelled', forget);
        call.on('close', forget);
        try {
          handleRead(this.log, call);
        } catch (error) {
          call.emit('error', error);
        }
      },
      append: (call: Parameters<typeof handleAppend>[1], callback: Parameters<typeof handleAppend>[2]) => {
        this.count('append');
        if (this.unresponsive) return void call.resume();
        if (this.unavailable) return void callback(serverNotReady());
        handleAppend(this.appendContext, call, callback);
      },
      batchAppend: (call: Parameters<typeof handleBatchAppend>[1]) => {
        this.count('batchAppend');
        if (this.unresponsive) return void call.resume();
        handleBatchAppend(this.appendContext, call);
      },
      delete: (_call: unknown, callback: (e: Error) => void) => callback(notImplemented('Delete')),
      tombstone: (_call: unknown, callback: (e: Error) => void) => callback(notImplemented('Tombstone')),
    });
    this.port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${this.port ?? 0}`, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      );
    });
    this.server = server;
    return { connectionString: this.connectionString, port: this.port };
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  /** Drops every connection and stops listening; the log survives, so `start()` brings the same node back. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.openReads.clear();
    server?.forceShutdown();
  }

  /** A node that is up but not ready: calls fail with "Server Is Not Ready", open subscriptions are dropped. */
  setUnavailable(unavailable: boolean): void {
    this.unavailable = unavailable;
    if (!unavailable) return;
    for (const call of [...this.openReads]) call.emit('error', serverNotReady());
    this.openReads.clear();
  }

  /**
   * A hung node: connections are accepted but new calls, and requests on open BatchAppend streams, are never answered
   * (the client must rely on deadlines). Open subscriptions are left as they are.
   */
  setUnresponsive(unresponsive: boolean): void {
    this.unresponsive = unresponsive;
  }
}

function supportedMethods(): SupportedMethods {
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const streams = 'event_store.client.streams.streams';
  // Unlike a real 23.10 node, BatchAppend does not advertise "deadline_duration": the fake only understands the
  // Timestamp deadline (field 6) that this client version sends.
  return new SupportedMethods()
    .setEventStoreServerVersion(FAKE_SERVER_VERSION)
    .setMethodsList([
      method(streams, 'read', ['position', 'events']),
      method(streams, 'append'),
      method(streams, 'batchappend'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ]);
}

function notImplemented(what: string): Error {
  return rpcError(GrpcStatus.UNIMPLEMENTED, `${what} is not implemented by the fake EventStoreDB`);
}

function seedSystemEvents(log: FakeEsdbLog): void {
  const json = (value: unknown) => Uint8Array.from(Buffer.from(JSON.stringify(value), 'utf8'));
  const write = (stream: string, type: string, data: unknown) =>
    log.append(stream, EXPECTED_ANY, [
      { eventId: randomUUID(), eventType: type, isJson: true, data: json(data), metadata: new Uint8Array() },
    ]);
  write('$$$scavenges', '$metadata', { $maxAge: 2592000 });
  for (const user of ['admin', 'ops']) {
    write(`$user-${user}`, '$UserCreated', { loginName: user, fullName: user, groups: [`$${user}s`] });
    write('$users', '$User', user);
  }
}
