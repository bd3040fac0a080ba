import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/gatewayConfig';

declare module 'fastify' {
  interface FastifyInstance {
    /** The gateway configuration, validated once at start. */
    config: GatewayConfig;
  }
}

/** Decorates the validated configuration as `fastify.config`. */
export const configPlugin = fp(
  async (app: FastifyInstance, options: { config: GatewayConfig }) => {
    app.decorate('config', options.config);
  },
  { name: 'atrium-config' },
);
