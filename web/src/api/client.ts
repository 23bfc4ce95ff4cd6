/**
 * The one way the app talks to the server: JSON over fetch, same origin, session cookie.
 * Writes carry the session's CSRF token (X-CSRF-Token); after a 403 for a stale token (the
 * server restarted, or the unit changed) the token is fetched again and the write retried once.
 * Errors become `ApiError` with the server's Swedish message.
 */

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly ErrorDetail[];
  constructor(status: number, code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token a login answer carried. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function fetchCsrfToken(): Promise<string> {
  const body = await request<{ csrfToken: string }>('GET', '/auth/csrf');
  csrfToken = body.csrfToken;
  return body.csrfToken;
}

export interface Answer<T> {
  body: T;
  etag: string | null;
}

async function send<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const isWrite = method !== 'GET';
  if (isWrite && csrfToken === null && !url.includes('/login')) {
    try {
      await fetchCsrfToken();
    } catch {
      // Not logged in: the write itself answers 401.
    }
  }
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(isWrite && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)
      ?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? res.statusText,
      error?.details,
    );
  }
  const token = (parsed as { csrfToken?: unknown } | null)?.csrfToken;
  if (typeof token === 'string') csrfToken = token;
  return { body: parsed as T, etag: res.headers.get('etag') };
}

async function sendWithRetry<T>(
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Answer<T>> {
  try {
    return await send<T>(method, url, body, headers);
  } catch (error) {
    const isStaleToken =
      error instanceof ApiError &&
      error.status === 403 &&
      error.details.some((d) => d.path === '/headers/x-csrf-token');
    if (!isStaleToken) throw error;
    await fetchCsrfToken();
    return send<T>(method, url, body, headers);
  }
}

/** A request whose answer body is all the caller needs. */
export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  return (await send<T>(method, url, body)).body;
}

export const api = {
  get: <T>(url: string) => send<T>('GET', url),
  post: <T>(url: string, body?: unknown) => sendWithRetry<T>('POST', url, body ?? {}),
  put: <T>(url: string, body: unknown, ifMatch?: string) =>
    sendWithRetry<T>('PUT', url, body, ifMatch ? { 'if-match': ifMatch } : {}),
  patch: <T>(url: string, body: unknown, ifMatch?: string) =>
    sendWithRetry<T>('PATCH', url, body, ifMatch ? { 'if-match': ifMatch } : {}),
};

/** The weak ETag of a version: W/"3". */
export const etagOf = (version: number): string => `W/"${version}"`;
