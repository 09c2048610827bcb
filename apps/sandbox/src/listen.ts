import type { FastifyInstance } from 'fastify';

/** Starts listening (port 0 picks a free one) and answers the address it is reachable at. */
export async function listenAt(app: FastifyInstance, port = 0, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
  await app.listen({ port, host });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { url: `http://${host}:${bound}`, port: bound };
}
