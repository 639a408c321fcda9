/**
 * A decision waits up to 1 s (the default) for the history thread to read this instance's last commit. A loaded CI
 * machine can stall that thread longer, and then a test of what decisions see would fail for the machine's sake:
 * tests wait up to 10 s unless they set it themselves (as they must with a request timeout under 20 s: the engine
 * refuses a wait over half of it).
 */
export const HISTORY_WAIT = { VERDICT_HISTORY_WAIT_MS: '10000' } as const;
