/**
 * context: what the routes of one server share.
 */
import type { ResultCache } from './cache.js';
import type { ServeConfig } from './config.js';
import type { IndexHolder } from './index-holder.js';
import type { ConcurrencyGate } from './limits.js';
import type { ServeMetrics } from './metrics.js';

export interface ServeContext {
  config: ServeConfig;
  holder: IndexHolder;
  cache: ResultCache;
  metrics: ServeMetrics;
  gate: ConcurrencyGate;
  /** Set when SIGTERM starts draining (readyz answers 503). */
  closing: boolean;
}
