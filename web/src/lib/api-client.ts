import { env } from './env';
import { ApiError, readProblem } from './problem';

/**
 * The one HTTP client: JSON in and out, the access token on every call, one silent refresh (the httponly cookie)
 * when a call answers 401, and every error as an {@link ApiError} carrying the ProblemDetails.
 */
export type TokenSource = {
  getAccessToken: () => string | null;
  /** Gets a new access token from the refresh cookie; null when the session is over. */
  refresh: () => Promise<string | null>;
};

let tokens: TokenSource = { getAccessToken: () => null, refresh: async () => null };

export function setTokenSource(source: TokenSource) {
  tokens = source;
}

export function getTokenSource(): TokenSource {
  return tokens;
}

export type RequestOptions = {
  body?: unknown;
  /** For POSTs that move money: the same key for retries of the same intent. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Calls to /api/auth/* must not trigger a refresh loop. */
  anonymous?: boolean;
};

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const send = (token: string | null) => {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token && !options.anonymous) headers.Authorization = `Bearer ${token}`;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    return fetch(env.apiBaseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal,
    });
  };

  let response = await send(tokens.getAccessToken());
  if (response.status === 401 && !options.anonymous) {
    const fresh = await tokens.refresh();
    if (fresh) response = await send(fresh);
  }

  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  if (response.status === 204 || response.headers.get('content-length') === '0') {
    return undefined as T;
  }
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => apiRequest<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => apiRequest<T>('DELETE', path, options),
};

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
