import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { ResponseTooLargeError } from './response-limit';

/**
 * An http(s) Agent whose requests fail with ResponseTooLargeError once their
 * socket has received more than `maxBytes` (status line and headers
 * included). It serves SDKs that read a whole answer into memory and take no
 * size limit of their own (pop-core's httpx, the Tencent SDK's node-fetch):
 * an agent is the one thing both accept per client. Nothing process-wide.
 *
 * Counting is per request: `addRequest` is where Node hands every request of
 * an agent over (custom agents have long hooked it; it is not in the typings),
 * and the counter leaves the socket when the request closes, before a
 * keep-alive socket serves the next one.
 */
export function cappedAgent(secure: boolean, maxBytes: number, options: https.AgentOptions = {}): http.Agent {
  const agent = secure ? new https.Agent(options) : new http.Agent(options);
  const hooked = agent as unknown as { addRequest(request: http.ClientRequest, requestOptions: unknown): void };
  const addRequest = hooked.addRequest.bind(agent);
  hooked.addRequest = (request, requestOptions) => {
    capRequest(request, maxBytes);
    addRequest(request, requestOptions);
  };
  return agent;
}

function capRequest(request: http.ClientRequest, maxBytes: number): void {
  let received = 0;
  let response: http.IncomingMessage | null = null;
  request.once('response', (incoming: http.IncomingMessage) => {
    response = incoming;
  });
  request.once('socket', (socket: Socket) => {
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) return;
      socket.off('data', count);
      cut(request, response, new ResponseTooLargeError(maxBytes));
    };
    socket.on('data', count);
    request.once('close', () => socket.off('data', count));
  });
}

/**
 * Fails the request with `error`. Once the answer has begun, the error must
 * reach whoever reads the body: destroying the request would give them only
 * node's generic "aborted". A body nobody reads yet (httpx reads after the
 * 'response' event, a few ticks later) is destroyed when its reading starts;
 * until then node's backpressure has paused the socket, so nothing piles up.
 */
function cut(request: http.ClientRequest, response: http.IncomingMessage | null, error: ResponseTooLargeError): void {
  if (!response) {
    request.destroy(error);
  } else if (response.readableFlowing) {
    response.destroy(error);
  } else {
    response.once('resume', () => response.destroy(error));
  }
}
