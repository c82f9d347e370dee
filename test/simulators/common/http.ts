import * as http from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Stops listening and destroys open sockets, so hung requests cannot keep a test alive. */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  /**
   * A server already listening whose socket this one takes over: its address
   * could be handed out before the simulator was loaded (`npm run demo`).
   */
  listenOn?: Server;
}

/** Starts an http server on 127.0.0.1 with an ephemeral port (or on `listenOn`'s socket). */
export async function startHttpServer(handler: http.RequestListener, options: HttpServerOptions = {}): Promise<RunningHttpServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.listenOn) server.listen(options.listenOn, () => resolve());
    else server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
