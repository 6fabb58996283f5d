/**
 * POST /v1/identify: the audio as the body (any format ffmpeg reads) or as the file of a
 * multipart form; query parameters top, reciter, riwayah, min_confidence. Answers the
 * fields of `identify --json`, plus index_version and cached.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { AbortedRequest } from '../limits.js';
import { recognize } from '../recognize.js';
import { checkFilters, parseIdentifyQuery } from '../request-options.js';

/** Seconds a client refused for lack of capacity is told to wait. */
const RETRY_AFTER_S = 1;

async function bodyOf(request: FastifyRequest, maxBytes: number): Promise<{ body: Buffer; input: string }> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!file) throw new HttpError(400, 'empty body (a multipart form without a file)');
    const body = await file.toBuffer();
    return { body, input: file.filename || file.fieldname };
  }
  return { body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), input: 'body' };
}

export function identifyRoute(app: FastifyInstance, ctx: ServeContext): void {
  const { metrics } = ctx;
  app.post('/v1/identify', async (request: FastifyRequest, reply: FastifyReply) => {
    let outcome = 'error';
    try {
      const opts = parseIdentifyQuery(request.query as Record<string, unknown>);
      const { body, input } = await bodyOf(request, ctx.config.maxBodyBytes);
      if (body.length === 0) throw new HttpError(400, 'empty body (send the audio as the request body or as a multipart file)');
      const leave = ctx.gate.tryEnter();
      if (!leave) throw new HttpError(503, `busy: ${ctx.gate.max} identifications already running; retry later`, { 'retry-after': String(RETRY_AFTER_S) });
      const lease = ctx.holder.acquire();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new AbortedRequest('timeout', ctx.config.timeoutMs)), ctx.config.timeoutMs);
      const onClose = () => {
        if (!reply.raw.writableFinished) controller.abort(new AbortedRequest('client gone'));
      };
      reply.raw.on('close', onClose);
      const running: Promise<unknown>[] = [];
      metrics.inFlight.inc();
      try {
        checkFilters(lease.identifier.reader, opts);
        const result = await recognize(body, input, opts, lease, ctx.cache, ctx.config, controller.signal, running);
        (result.cached ? metrics.cacheHits : metrics.cacheMisses).inc();
        outcome = result.status;
        return result;
      } finally {
        clearTimeout(timer);
        reply.raw.off('close', onClose);
        // What a deadline could not stop still holds its slot and its index version.
        void Promise.allSettled(running).then(() => {
          metrics.inFlight.dec();
          lease.release();
          leave();
        });
      }
    } catch (err) {
      if (err instanceof AbortedRequest) {
        outcome = 'rejected';
        throw new HttpError(503, err.why === 'timeout' ? `identification ${err.message}` : err.message, { 'retry-after': String(RETRY_AFTER_S) });
      }
      if (err instanceof HttpError) outcome = err.status === 503 ? 'rejected' : 'bad_request';
      else if ((err as { statusCode?: number }).statusCode && (err as { statusCode: number }).statusCode < 500) outcome = 'bad_request';
      throw err;
    } finally {
      metrics.recognitions.inc({ status: outcome });
    }
  });
}
