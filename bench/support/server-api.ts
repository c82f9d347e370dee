import { request } from 'node:http';
import type { ServerProcess } from '../../test/support/server-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

export type ApiTextCall = (method: string, path: string, body?: unknown) => Promise<string>;

/**
 * Calls to a server process with its admin token, answering the body's text;
 * a non-2xx answer throws with its body. Plain node:http, without fetch's
 * 300 s header timeout: a synchronous sync of a million hosts answers later.
 */
export function serverApiText(server: ServerProcess): ApiTextCall {
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...server.headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) reject(new Error(`${method} ${path}: ${status} ${text}`));
          else resolve(text);
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/** JSON calls to a server process with its admin token; a non-2xx answer throws with its body. */
export function serverApi(server: ServerProcess): ApiCall {
  const text = serverApiText(server);
  return async (method, path, body) => JSON.parse(await text(method, path, body)) as ReturnType<ApiCall>;
}
