/**
 * metrics: what the people who run the service watch, in Prometheus text format
 * (prom-client, a registry of this server's own): request latency, recognitions by
 * status, cache hits and misses, the index served, identifications in flight, and the
 * process's own (memory, CPU, event loop).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IndexFacts } from './index-holder.js';

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requestSeconds = new Histogram({
    name: 'ayah_http_request_duration_seconds',
    help: 'HTTP request latency, seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly recognitions = new Counter({
    name: 'ayah_recognitions_total',
    help: 'Recognitions by outcome: match, ambiguous, no_match, bad_request, rejected (503: busy or timed out), error',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly cacheHits = new Counter({ name: 'ayah_cache_hits_total', help: 'Recognitions answered from the result cache', registers: [this.registry] });
  readonly cacheMisses = new Counter({ name: 'ayah_cache_misses_total', help: 'Recognitions not in the result cache', registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'ayah_identifications_in_flight', help: 'Identifications running now', registers: [this.registry] });
  readonly indexVersion = new Gauge({ name: 'ayah_index_version', help: 'Version (commit counter) of the index served', registers: [this.registry] });
  readonly indexRecordings = new Gauge({ name: 'ayah_index_recordings', help: 'Recordings in the index served', registers: [this.registry] });
  readonly indexHours = new Gauge({ name: 'ayah_index_hours', help: 'Hours of audio in the index served', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  setIndex(facts: IndexFacts): void {
    this.indexVersion.set(facts.versionNumber);
    this.indexRecordings.set(facts.recordings);
    this.indexHours.set(Math.round(facts.hours * 1000) / 1000);
  }
}
