/** The history features a model reads cannot be computed: the history thread failed, or is stopping. */
export class HistoryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HistoryUnavailableError';
  }
}
