/**
 * app: the fastify application of `ayah serve`: body parsing (any content type as raw
 * bytes, multipart forms), the routes, one-line JSON errors, one log line per request
 * and the request metrics.
 */
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { log } from '../log.js';
import type { ServeContext } from './context.js';
import { HttpError } from './http-error.js';
import { ayahsRoute } from './routes/ayahs.js';
import { healthRoutes } from './routes/health.js';
import { identifyRoute } from './routes/identify.js';

/** Time a client has to send its whole request, ms (a slow upload does not hold a connection forever). */
const UPLOAD_TIMEOUT_MS = 30_000;

export async function buildApp(ctx: ServeContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.maxBodyBytes,
    requestTimeout: Math.max(UPLOAD_TIMEOUT_MS, ctx.config.timeoutMs),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // Audio in any format: the body as bytes, whatever its content type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.config.maxBodyBytes }, (_req, body, done) => done(null, body));
  await app.register(multipart, { limits: { fileSize: ctx.config.maxBodyBytes, files: 1, fields: 10 } });

  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).headers(err.headers).send({ error: err.message });
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      log.error({ err, url: request.url }, 'request failed');
      return reply.code(status).send({ error: status === 503 ? 'unavailable' : 'internal error' });
    }
    const message = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413 ? `body too large (at most ${ctx.config.maxBodyBytes} bytes)` : err.message.split('\n')[0];
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));

  // While draining, a connection closes after its response (a kept-alive one would hold the exit).
  app.addHook('onSend', async (_request, reply) => {
    if (ctx.closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    ctx.metrics.requestSeconds.observe({ method: request.method, route, status: String(reply.statusCode) }, ms / 1000);
    log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
  });

  identifyRoute(app, ctx);
  ayahsRoute(app, ctx);
  healthRoutes(app, ctx);
  return app;
}
