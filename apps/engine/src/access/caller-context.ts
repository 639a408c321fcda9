import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '@verdict/domain';

/**
 * The authenticated caller of the request being handled, for code far from the controller (the event-store wrapper
 * that stamps every event's metadata). Entered once per request by the access-control hook, just before the handler.
 * Background work (seals, drift, canary analysis) runs outside any request and has no caller.
 */
export const callerContext = new AsyncLocalStorage<Principal>();

export const currentCaller = (): Principal | undefined => callerContext.getStore();
