import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/**
 * Once the listener is closing, every reply says `Connection: close`, so a keep-alive socket
 * whose last request finished during shutdown closes now instead of after the keep-alive timeout.
 */
export const closeOnShutdown = fp(
  async (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (closing) void reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'atrium-close-on-shutdown' },
);
