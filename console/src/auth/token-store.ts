/** The API token lives in this tab's sessionStorage only: gone when the tab closes, never in a URL. */
const KEY = 'cmdb.token';
const listeners = new Set<() => void>();

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
  listeners.forEach((listener) => listener());
}

export function signOutEverywhere(): void {
  sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
