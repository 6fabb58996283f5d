/**
 * render: a clip under every requested degradation, as mono float32 PCM at the
 * fingerprint rate, with as few ffmpeg processes as possible.
 *
 * The degradations advance together in waves: each wave is ONE ffmpeg process that runs
 * every degradation's next stretch of filters (identical stretches computed once) up to
 * its next codec or typed-array step. Typed-array steps then run in Node. With the
 * default suite a clip costs two processes: the cut with all filters and encoders, then
 * the decoders.
 */
import { FINGERPRINT } from '../fingerprint/config.js';
import type { Degradation, Step } from './degrade.js';
import { runGraph, type FfInput, type FfJob, type FfOutput, type FfResult } from './ffmpeg-graph.js';
import { mulberry32, seedOf } from './prng.js';

/** Rate of typed-array steps that are followed by more ffmpeg work. */
const WORK_RATE = 16000;

export interface RenderRequest {
  /** Name used in error messages (the clip's id). */
  name: string;
  source: FfInput;
  /** Another recitation, for babble steps. */
  babble?: FfInput;
  /** Seeds the typed-array steps (noise). */
  seed: number;
  degradations: Degradation[];
}

/** Where one degradation is: its current audio and the next step to apply. */
interface Cursor {
  degradation: Degradation;
  input: FfInput;
  next: number;
  done?: Float32Array;
}

/** Renders every degradation of one clip; results in the order of `req.degradations`. */
export async function renderClip(req: RenderRequest): Promise<Float32Array[]> {
  const cursors: Cursor[] = req.degradations.map((degradation) => ({ degradation, input: req.source, next: 0 }));
  const babble = new Map<number, Float32Array>();
  let first = true;
  for (;;) {
    const wave = new Wave();
    const pending = cursors.filter((c) => !c.done).map((c) => ({ cursor: c, ...plan(c, wave) }));
    if (!pending.length) break;
    const babbleJobs = first && req.babble ? babbleRates(req.degradations).map((rate) => ({ rate, job: wave.add(req.babble!, [], [], { kind: 'pcm', rate }) })) : [];
    first = false;
    const results = await wave.run(req.name);
    for (const { rate, job } of babbleJobs) babble.set(rate, results[job] as Float32Array);
    for (const p of pending) advance(p.cursor, p.job < 0 ? p.cursor.input : toInput(results[p.job], p.output), p.end, req.seed, babble);
  }
  return cursors.map((c) => c.done!);
}

/** The cursor's next stretch: filters up to a codec, a typed-array step, or the end. */
function plan(c: Cursor, wave: Wave): { job: number; output: FfOutput; end: number } {
  const steps = c.degradation.steps;
  let end = c.next;
  while (end < steps.length && steps[end].kind === 'filter') end++;
  const filters = steps.slice(c.next, end) as Array<Extract<Step, { kind: 'filter' }>>;
  const stop = steps[end];
  const output: FfOutput = stop?.kind === 'codec' ? { kind: 'encoded', ...stop.encoder } : { kind: 'pcm', rate: pcmRate(steps, end) };
  const identity = !filters.length && output.kind === 'pcm' && c.input.kind === 'pcm' && c.input.rate === output.rate;
  const job = identity ? -1 : wave.add(c.input, filters.map((f) => f.node), filters.map((f) => f.key), output);
  return { job, output, end };
}

/** Applies the wave's result and the typed-array steps that follow it. */
function advance(c: Cursor, audio: FfInput, end: number, seed: number, babble: Map<number, Float32Array>): void {
  const steps = c.degradation.steps;
  if (steps[end]?.kind === 'codec') {
    c.input = audio;
    c.next = end + 1;
    return;
  }
  if (audio.kind !== 'pcm') throw new Error('render: expected PCM');
  let pcm = audio.pcm;
  let i = end;
  for (; i < steps.length; i++) {
    const step = steps[i];
    if (step.kind !== 'pcm') break;
    const rng = mulberry32(seedOf(seed, c.degradation.name, i));
    pcm = step.apply(pcm, audio.rate, { rng, babble: babble.get(audio.rate) });
  }
  if (i >= steps.length) c.done = pcm;
  else {
    c.input = { kind: 'pcm', pcm, rate: audio.rate };
    c.next = i;
  }
}

/** Typed-array steps run at 8 kHz when nothing but typed-array steps follows, else at WORK_RATE. */
function pcmRate(steps: Step[], from: number): number {
  return steps.slice(from).every((s) => s.kind === 'pcm') ? FINGERPRINT.sampleRate : WORK_RATE;
}

/** The rates at which babble steps will run (their other recitation is decoded at each). */
function babbleRates(degradations: Degradation[]): number[] {
  const rates = new Set<number>();
  for (const d of degradations) d.steps.forEach((s, i) => s.kind === 'pcm' && s.babble && rates.add(pcmRate(d.steps, i)));
  return [...rates];
}

function toInput(result: FfResult, output: FfOutput): FfInput {
  return output.kind === 'pcm' ? { kind: 'pcm', pcm: result as Float32Array, rate: output.rate } : { kind: 'encoded', bytes: result as Uint8Array, format: output.format };
}

/** The jobs of one ffmpeg process; identical jobs (same input, filters and output) are run once. */
class Wave {
  private readonly inputs: FfInput[] = [];
  private readonly jobs: FfJob[] = [];
  private readonly byKey = new Map<string, number>();

  add(input: FfInput, nodes: FfJob['filters'], keys: string[], output: FfOutput): number {
    let i = this.inputs.indexOf(input);
    if (i < 0) i = this.inputs.push(input) - 1;
    const key = JSON.stringify([i, keys, output]);
    let j = this.byKey.get(key);
    if (j === undefined) {
      j = this.jobs.push({ input: i, filters: nodes, output }) - 1;
      this.byKey.set(key, j);
    }
    return j;
  }

  async run(name: string): Promise<FfResult[]> {
    return this.jobs.length ? runGraph(name, this.inputs, this.jobs) : [];
  }
}
