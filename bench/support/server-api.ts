import type { ServerProcess } from '../../test/support/server-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

export type ApiTextCall = (method: string, path: string, body?: unknown) => Promise<string>;

/** Calls to a server process with its admin token, answering the body's text; a non-2xx answer throws with its body. */
export function serverApiText(server: ServerProcess): ApiTextCall {
  return async (method, path, body) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...server.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.text();
  };
}

/** JSON calls to a server process with its admin token; a non-2xx answer throws with its body. */
export function serverApi(server: ServerProcess): ApiCall {
  const text = serverApiText(server);
  return async (method, path, body) => JSON.parse(await text(method, path, body)) as ReturnType<ApiCall>;
}
