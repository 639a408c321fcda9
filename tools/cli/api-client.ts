import os from 'node:os';

/** A non-2xx answer of the Verdict API, with its problem document when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { path: string; message: string }[]; reasons?: string[] } | undefined,
    fallback: string,
  ) {
    super(ApiError.oneLine(status, problem, fallback));
    this.name = 'ApiError';
  }

  /** "409 Another deployment change landed first: …" plus each field error or reason. */
  private static oneLine(status: number, p: ApiError['problem'], fallback: string): string {
    const head = `${status} ${p?.title ?? fallback}${p?.detail ? `: ${p.detail}` : ''}`;
    const details = [...(p?.errors ?? []).map((e) => `${e.path} ${e.message}`), ...(p?.reasons ?? [])];
    return details.length > 0 && !(p?.detail ?? '').includes(details[0]) ? `${head} (${details.join('; ')})` : head;
  }
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Speaks to a running engine's HTTP API (no direct store access: what any operator's machine can do). */
export class ApiClient {
  readonly actor: string;

  constructor(
    readonly baseUrl: string,
    actor?: string,
    private readonly apiKey?: string,
  ) {
    this.actor = actor ?? `${os.userInfo().username}@${os.hostname()}`;
  }

  /** The headers every request sends: who acts, and the key it acts with. */
  headers(): Record<string, string> {
    return { 'x-verdict-actor': this.actor, ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) };
  }

  get<T>(path: string): Promise<ApiResponse<T>> {
    return this.send<T>('GET', path);
  }

  json<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.send<T>(method, path, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  form<T>(path: string, form: FormData): Promise<ApiResponse<T>> {
    return this.send<T>('POST', path, form);
  }

  private async send<T>(method: string, path: string, body?: string | FormData, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), { method, body, headers: { ...this.headers(), ...headers } });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) parsed = JSON.parse(text);
    if (!response.ok) {
      throw new ApiError(response.status, typeof parsed === 'object' && parsed !== null ? (parsed as ApiError['problem']) : undefined, response.statusText);
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
