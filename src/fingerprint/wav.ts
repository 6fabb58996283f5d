/**
 * wav: the samples of a plain WAV file (PCM 8/16/24/32-bit or float32, one or two channels),
 * read here as float32 exactly as ffmpeg converts them (s16 / 32768, u8 − 128 / 128, s24 and
 * s32 / 2^31 after widening). What a microphone app or a benchmark sends is mostly this;
 * decode-wav-batch.ts resamples many of them in one ffmpeg run. Anything else (another codec,
 * a channel layout of its own, a damaged header) is `undefined`: ffmpeg reads it, and names
 * what is wrong.
 */
import fs from 'node:fs';
import { openIfReadable } from '../util/read-typed.js';

/** A plain WAV file's format, and where its samples are. */
export interface WavFormat {
  sampleRate: number;
  channels: number;
  /** Frames (one sample per channel) in the data chunk. */
  frames: number;
  tag: number;
  bits: number;
  dataStart: number;
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
/** A header is read from the first bytes; a file whose data chunk starts later is left to ffmpeg. */
const HEADER_BYTES = 4096;

type Format = Omit<WavFormat, 'frames'> & { dataBytes: number };

/** The format and data chunk of a WAV header, or undefined when it is not one read here. */
function parseHeader(head: Buffer, fileSize: number): Format | undefined {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return undefined;
  let fmt: Omit<Format, 'dataStart' | 'dataBytes'> | undefined;
  for (let at = 12; at + 8 <= head.length; ) {
    const id = head.toString('latin1', at, at + 4);
    const size = head.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > head.length) return undefined;
      let tag = head.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      // A channel mask of its own could make ffmpeg downmix otherwise than a plain header's.
      if (tag === EXTENSIBLE) {
        if (size < 40) return undefined;
        const mask = head.readUInt32LE(body + 20);
        const channels = head.readUInt16LE(body + 2);
        if (!(mask === 0 || (channels === 1 && mask === 0x4) || (channels === 2 && mask === 0x3))) return undefined;
        tag = head.readUInt16LE(body + 24);
      }
      fmt = { tag, channels: head.readUInt16LE(body + 2), sampleRate: head.readUInt32LE(body + 4), bits: head.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) return undefined;
      return { ...fmt, dataStart: body, dataBytes: Math.min(size, fileSize - body) };
    }
    at = body + size + (size & 1);
  }
  return undefined;
}

function supported(f: Format): boolean {
  if (!(f.channels === 1 || f.channels === 2) || !(f.sampleRate >= 1000 && f.sampleRate <= 384_000)) return false;
  // 64-bit float is resampled by ffmpeg in double precision: not the same samples from float32.
  return f.tag === PCM ? [8, 16, 24, 32].includes(f.bits) : f.tag === FLOAT && f.bits === 32;
}

/** Converts `count` samples of `f`'s encoding from `bytes` into `out`. */
function toFloat(f: Pick<WavFormat, 'tag' | 'bits'>, bytes: Buffer, out: Float32Array, count: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (f.tag === FLOAT && f.bits === 32) for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  else if (f.bits === 16) for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true) / 32768;
  else if (f.bits === 8) for (let i = 0; i < count; i++) out[i] = (view.getUint8(i) - 128) / 128;
  else if (f.bits === 24) for (let i = 0; i < count; i++) out[i] = ((view.getUint8(3 * i) | (view.getUint8(3 * i + 1) << 8) | (view.getInt8(3 * i + 2) << 16)) * 256) / 2147483648;
  else for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true) / 2147483648;
}

/** The format of a plain WAV file at `file`, or undefined when it is not one (ffmpeg then reads it). */
export function wavFormat(file: string): WavFormat | undefined {
  const fd = openIfReadable(file);
  if (fd === undefined) return undefined;
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const got = fs.readSync(fd, head, 0, HEADER_BYTES, 0);
    const f = parseHeader(head.subarray(0, got), fs.fstatSync(fd).size);
    if (!f || !supported(f)) return undefined;
    const { dataBytes, ...rest } = f;
    return { ...rest, frames: Math.floor(dataBytes / ((f.bits / 8) * f.channels)) };
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes of the last read, reused (reads are synchronous, one at a time). */
let scratch = Buffer.alloc(1 << 16);

/**
 * The first `frames` frames of the WAV file `file` of format `f`, as float32 into `into`
 * (interleaved, frames × channels values); false when the file no longer holds them.
 */
export function readWavInto(file: string, f: WavFormat, frames: number, into: Float32Array): boolean {
  const bytes = frames * (f.bits / 8) * f.channels;
  if (scratch.length < bytes) scratch = Buffer.alloc(Math.max(bytes, 2 * scratch.length));
  const fd = openIfReadable(file);
  if (fd === undefined) return false;
  try {
    if (fs.readSync(fd, scratch, 0, bytes, f.dataStart) !== bytes) return false;
  } finally {
    fs.closeSync(fd);
  }
  toFloat(f, scratch, into, frames * f.channels);
  return true;
}
