import { HTTP_DRAIN_GRACE_MS } from './http-drain';

/**
 * The longest the engine's stop may take from the signal to the exit (boundShutdown): the HTTP drain's grace, then the
 * flush (the last audit seal, pending group commits, the projections' current batch, the threads). Nothing
 * acknowledged is at stake past it, since every answered decision was durable before its answer.
 */
export const SHUTDOWN_BOUND_MS = HTTP_DRAIN_GRACE_MS + 15_000;
