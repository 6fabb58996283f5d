/**
 * degrade: the benchmark's degradations and their spec strings.
 *
 * A spec list is comma-separated; `+` combines steps, applied left to right:
 *   clean,mp3:32,noise:5,babble:5,tempo:+5,tempo:-5,pitch:+1,phone,reverb,gain:-10,phone+noise:10
 *
 * Each step is an ffmpeg filter (applied at the source's own sample rate, in one ffmpeg
 * process with the clip's other degradations), a codec round trip (encode, then decode
 * in a second process), or typed-array code (src/bench/pcm.ts, deterministic from the
 * clip's seed). The result is always mono float32 PCM at FINGERPRINT.sampleRate (8 kHz).
 * docs/bench.md documents the same list.
 */
import { AyahError, ExitCode } from '../errors.js';
import { chain, type Encoder, type FilterNode } from './ffmpeg-graph.js';
import { addWhiteNoise, applyGain, mixAtSnr, muLaw8bit } from './pcm.js';
import type { Rng } from './prng.js';

/** What typed-array steps get besides the PCM. */
export interface PcmContext {
  /** Seeded per clip, degradation and step. */
  rng: Rng;
  /** Another recitation at the same rate, for babble (see sample.ts: assignBabble). */
  babble?: Float32Array;
}

export type Step =
  | { kind: 'filter'; key: string; node: FilterNode }
  | { kind: 'codec'; key: string; encoder: Encoder }
  | { kind: 'pcm'; key: string; apply: (pcm: Float32Array, rate: number, ctx: PcmContext) => Float32Array; babble?: true };

/** A named degradation: its canonical spec (e.g. "phone+noise:10") and its steps. */
export interface Degradation {
  name: string;
  steps: Step[];
}

interface StepKind {
  /** "none": no value; "number": a value is required; a number: the default value. */
  value: 'none' | 'number' | number;
  /** Whether the canonical name shows a sign (+5). */
  signed?: boolean;
  /** Allowed values, checked when parsing. */
  check?: (v: number) => boolean;
  usage: string;
  build: (v: number, key: string) => Step[];
}

/** Reverb: an exponentially decaying noise tail at this rate, mixed at 0 dB direct-to-reverberant ratio. */
const REVERB_RATE = 16000;
/** Telephone sample rate. */
const PHONE_RATE = 8000;
/** AMR-NB's bit rates, kbit/s. */
const AMR_RATES = [4.75, 5.15, 5.9, 6.7, 7.4, 7.95, 10.2, 12.2];

const KINDS: Record<string, StepKind> = {
  /** The clip as decoded (resampled to 8 kHz). */
  clean: { value: 'none', usage: 'clean', build: () => [] },
  /** Gaussian white noise, X dB below the clip's active-speech power (pcm.ts: activePower). */
  noise: {
    value: 'number',
    usage: 'noise:DB',
    build: (snr, key) => [{ kind: 'pcm', key, apply: (pcm, rate, ctx) => addWhiteNoise(pcm, rate, snr, ctx.rng) }],
  },
  /** Another recitation (a different recording of another ayah) mixed in X dB below the clip. */
  babble: {
    value: 'number',
    usage: 'babble:DB',
    build: (snr, key) => [{ kind: 'pcm', key, babble: true, apply: (pcm, rate, ctx) => mixAtSnr(pcm, ctx.babble ?? new Float32Array(0), rate, snr) }],
  },
  /** MP3 (LAME) encode at X kbit/s at the source rate, then decode. */
  mp3: { value: 'number', check: (k) => k >= 8 && k <= 320, usage: 'mp3:KBPS', build: (k, key) => [codec(key, { codec: 'libmp3lame', format: 'mp3', kbps: k })] },
  /** Opus encode at X kbit/s (48 kHz, Ogg), then decode. */
  opus: { value: 'number', check: (k) => k >= 6 && k <= 510, usage: 'opus:KBPS', build: (k, key) => [codec(key, { codec: 'libopus', format: 'ogg', kbps: k, rate: 48000 })] },
  /** AMR-NB (GSM phone codec) at one of its rates (4.75 to 12.2 kbit/s), 8 kHz, then decode. */
  amr: {
    value: 12.2,
    check: (k) => AMR_RATES.includes(k),
    usage: `amr[:${AMR_RATES.join('|')}]`,
    build: (k, key) => [codec(key, { codec: 'libopencore_amrnb', format: 'amr', kbps: k, rate: 8000 })],
  },
  /** Tempo ±X % with the pitch kept (ffmpeg atempo, WSOLA): tempo:+5 is 5 % faster, so ~5 % shorter. */
  tempo: { value: 'number', signed: true, check: (p) => p >= -50 && p <= 100 && p !== 0, usage: 'tempo:±PCT', build: (p, key) => [filter(key, `atempo=${1 + p / 100}`)] },
  /** Speed ±X %: tempo and pitch together, like audio sped up without pitch correction (ffmpeg rubberband). */
  speed: {
    value: 'number',
    signed: true,
    check: (p) => p >= -50 && p <= 100 && p !== 0,
    usage: 'speed:±PCT',
    build: (p, key) => [filter(key, `rubberband=tempo=${1 + p / 100}:pitch=${1 + p / 100}`)],
  },
  /** Pitch ±X semitones with the tempo kept (ffmpeg rubberband). */
  pitch: {
    value: 'number',
    signed: true,
    check: (s) => Math.abs(s) <= 12 && s !== 0,
    usage: 'pitch:±SEMITONES',
    build: (s, key) => [filter(key, `rubberband=pitch=${(2 ** (s / 12)).toFixed(6)}`)],
  },
  /**
   * Landline telephone: 8 kHz, 300–3,400 Hz band-pass (a minimum-phase Kaiser-windowed sinc
   * FIR, 60 dB stop band: ffmpeg sinc + afir), then 8-bit μ-law (G.711) quantization.
   */
  phone: {
    value: 'none',
    usage: 'phone',
    build: (_v, key) => [
      { kind: 'filter', key, node: firNode(PHONE_RATE, `sinc=r=${PHONE_RATE}:hp=300:lp=3400:phase=0:att=60`) },
      { kind: 'pcm', key: `${key}/mulaw`, apply: (pcm) => muLaw8bit(pcm) },
    ],
  },
  /**
   * Room reverb with an RT60 of X seconds (default 0.5): convolution (ffmpeg afir) with a
   * synthetic impulse response, a direct impulse plus exponentially decaying white noise
   * (deterministic) at a 0 dB direct-to-reverberant ratio.
   */
  reverb: { value: 0.5, check: (t) => t >= 0.05 && t <= 3, usage: 'reverb[:RT60_S]', build: (t, key) => [{ kind: 'filter', key, node: reverbNode(t) }] },
  /** Gain ±X dB (typed-array; float PCM does not clip). */
  gain: { value: 'number', signed: true, usage: 'gain:±DB', build: (db, key) => [{ kind: 'pcm', key, apply: (pcm) => applyGain(pcm, db) }] },
};

/** One line listing the known steps, for help and error messages. */
export const DEGRADATION_USAGE = Object.values(KINDS)
  .map((k) => k.usage)
  .join(', ');

/** The default suite of `npm run bench` (issue 5). */
export const DEFAULT_SUITE = 'clean,mp3:32,noise:10,noise:5,babble:5,tempo:+5,tempo:-5,speed:+5,speed:-5,phone,reverb';

/** Parses a comma-separated list of degradations; duplicates are dropped. Throws a one-line usage error. */
export function parseDegradations(list: string): Degradation[] {
  const seen = new Map<string, Degradation>();
  for (const spec of list.split(',').map((s) => s.trim())) {
    if (!spec) continue;
    const d = parseDegradation(spec);
    if (!seen.has(d.name)) seen.set(d.name, d);
  }
  if (!seen.size) throw new AyahError('no degradation given (e.g. --degrade clean,mp3:32)', ExitCode.USAGE);
  return [...seen.values()];
}

/** Parses one degradation, e.g. "phone+noise:10". */
export function parseDegradation(spec: string): Degradation {
  const names: string[] = [];
  const steps: Step[] = [];
  // "+" joins steps only before a step name: "tempo:+5+noise:10" is tempo:+5 then noise:10.
  for (const part of spec.split(/\+(?=\s*[a-z])/i).map((s) => s.trim())) {
    const [kindName, raw, ...rest] = part.split(':');
    const kind = Object.hasOwn(KINDS, kindName) ? KINDS[kindName] : undefined;
    if (!kind || rest.length) throw usage(`unknown degradation "${part}"`);
    const value = valueOf(kind, part, raw);
    // A default value left out stays out of the name ("reverb", "amr").
    const name = raw === undefined ? kindName : `${kindName}:${kind.signed && value > 0 ? '+' : ''}${value}`;
    names.push(name);
    steps.push(...kind.build(value, name));
  }
  // "clean" adds no step; "clean+x" is just "x".
  const meaningful = names.filter((n) => n !== 'clean');
  return { name: meaningful.length ? meaningful.join('+') : 'clean', steps };
}

function valueOf(kind: StepKind, part: string, raw: string | undefined): number {
  if (kind.value === 'none') {
    if (raw !== undefined) throw usage(`"${part}" takes no value`);
    return 0;
  }
  if (raw === undefined || raw === '') {
    if (kind.value === 'number') throw usage(`"${part}" needs a value (${kind.usage})`);
    return kind.value;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || (kind.check && !kind.check(v))) throw usage(`bad value in "${part}" (${kind.usage})`);
  return v;
}

function usage(message: string): AyahError {
  return new AyahError(`${message}; known: ${DEGRADATION_USAGE}`, ExitCode.USAGE);
}

function filter(key: string, filters: string): Step {
  return { kind: 'filter', key, node: chain(filters) };
}

function codec(key: string, encoder: Encoder): Step {
  return { kind: 'codec', key, encoder };
}

/** Synthetic room impulse response: a direct impulse, then exponentially decaying noise. */
function reverbNode(rt60: number): FilterNode {
  // Energy of a tail a·noise·exp(-6.91 t / rt60) (uniform noise: variance a²/3) is
  // a²/3 · rate · rt60 / 13.82; 0 dB direct-to-reverberant ratio makes it 1.
  // aevalsrc's random() is deterministic.
  const a = Math.sqrt((3 * 13.82) / (REVERB_RATE * rt60));
  const ir = `if(eq(n\\,0)\\,1\\,${a.toFixed(6)}*(2*random(0)-1)*exp(-6.91*t/${rt60}))`;
  return firNode(REVERB_RATE, `aevalsrc=exprs=${ir}:s=${REVERB_RATE}:d=${rt60}`);
}

/** Convolution (afir, unnormalized) of the mono input at `rate` with the impulse response a source filter generates. */
function firNode(rate: number, impulseSource: string): FilterNode {
  return (i, o, uid) =>
    `[${i}]aformat=channel_layouts=mono,aresample=${rate}[${uid}a];` + `${impulseSource}[${uid}ir];` + `[${uid}a][${uid}ir]afir=gtype=none:dry=1:wet=1[${o}]`;
}
