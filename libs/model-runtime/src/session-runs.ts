/**
 * The runs in flight on one onnxruntime session. Releasing a session under a native run would crash the process, so
 * a session is released only after `drain()`; once draining, no new run starts.
 */
export class SessionRuns {
  private readonly inflight = new Set<Promise<unknown>>();
  private draining = false;

  get closed(): boolean {
    return this.draining;
  }

  /** Registers a run (already started); it is forgotten once it settles. */
  track<T>(run: Promise<T>): Promise<T> {
    this.inflight.add(run);
    void run.then(
      () => this.inflight.delete(run),
      () => this.inflight.delete(run),
    );
    return run;
  }

  /** Refuses new runs from now on and resolves once the ones in flight have settled. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.allSettled([...this.inflight]);
  }
}
