import * as https from 'node:https';
import { ResponseTooLargeError } from '../common/response-limit';
import type { VsphereEndpoint } from './vsphere-address';

export interface SoapTarget extends VsphereEndpoint {
  agent: https.Agent;
  /** The largest answer read (CallPolicy.maxResponseBytes); a larger one fails the call. */
  maxResponseBytes: number;
}

export interface SoapHttpResponse {
  status: number;
  body: string;
  setCookie: string[];
}


/** One `POST /sdk` over the secret's own agent; the caller's signal cancels it. */
export function postSoap(
  target: SoapTarget,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<SoapHttpResponse> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const request = https.request(
      {
        host: target.host,
        port: target.port,
        method: 'POST',
        path: '/sdk',
        agent: target.agent,
        signal,
        headers: { ...headers, 'Content-Length': String(payload.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > target.maxResponseBytes) {
            request.destroy(new ResponseTooLargeError(target.maxResponseBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            setCookie: response.headers['set-cookie'] ?? [],
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
