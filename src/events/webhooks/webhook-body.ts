import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the body capture leaves on a webhook request: the exact bytes (signatures cover them), or null when too large. */
export interface WebhookRequest extends IncomingMessage {
  webhookBody?: Buffer | null;
}

/**
 * Reads a webhook's body as bytes, before (and instead of) the JSON parser:
 * signatures are over the exact bytes, and CloudEvents / SMN content types are
 * not JSON's. An oversized body is not buffered: the controller answers 413,
 * counted and audited like any other refusal.
 */
export function captureWebhookBody(maxBytes: number) {
  return (req: WebhookRequest & { _body?: boolean }, _res: ServerResponse, next: (error?: unknown) => void): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (body: Buffer | null) => {
      if (done) return;
      done = true;
      req.webhookBody = body;
      req._body = true; // body-parser's own mark: the JSON parser leaves this request alone
      next();
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        req.resume(); // discard the rest without buffering it
        finish(null);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', (error) => {
      if (!done) {
        done = true;
        next(error);
      }
    });
  };
}

/** A header's value (the first, when sent more than once). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
