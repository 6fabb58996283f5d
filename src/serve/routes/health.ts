/**
 * GET /healthz (the process answers), GET /readyz (it can serve: index, Redis, catalog)
 * and GET /metrics (Prometheus text format).
 */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../context.js';
import { readiness } from '../readiness.js';

export function healthRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const r = await readiness(ctx);
    return reply.code(r.ready ? 200 : 503).send(r);
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
