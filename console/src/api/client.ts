import { currentToken, signOutEverywhere } from '../auth/token-store';
import type { ErrorBody } from './types';

/** An API error as the server answers it: `{statusCode, error, message, details?, request_id}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | null,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type QueryValue = string | number | boolean | string[] | null | undefined;
export type Query = Record<string, QueryValue>;

/** `?a=1&tag=x&tag=y`: empty values left out, lists repeated. */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The token goes in the Authorization header only, never in a URL. */
export function authHeaders(token = currentToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function api<T>(path: string, options: { method?: string; query?: Query; body?: unknown; token?: string } = {}): Promise<T> {
  const response = await fetch(path + queryString(options.query), {
    method: options.method ?? 'GET',
    headers: { ...authHeaders(options.token), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const requestId = response.headers.get('x-request-id');
  const text = await response.text();
  const body = text ? safeJson(text) : null;
  if (!response.ok) {
    const error = body as Partial<ErrorBody> | null;
    // A token revoked or expired mid-session: back to the sign-in page.
    if (response.status === 401 && !options.token) signOutEverywhere();
    throw new ApiError(response.status, error?.message ?? `${response.status} ${response.statusText}`, error?.request_id ?? requestId, error?.details);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
