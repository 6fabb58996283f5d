/**
 * faults: the fault-injection run of issue 13 (`npm run faults`, in CI): services killed
 * mid-run (a PRIVATE redis-server on a free port, never the shared one), a full disk and a
 * read-only AYAH_HOME (small tmpfs mounts, when this machine lets us mount), damaged index
 * files, and SIGINT/SIGTERM at random moments (seeded: FAULT_SEED). Every case checks the
 * exit code, that stderr is one line `ayah: ...` without a trace, and what must not have
 * changed (the index version). Prints one line per case and "N cases, N ok"; exits 1 when
 * a case fails. Cases that need mount are reported as skipped where it is not permitted.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexStats } from '../src/index/api.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'bin', 'ayah');
const CORPUS = process.env.AYAH_CORPUS ?? path.resolve(REPO, '..', 'shared', 'corpus');
const AKHDAR = ['112001', '112002', '112003', '112004'].map((n) => path.join(CORPUS, 'akhdar', `${n}.mp3`));
const SALAMA = ['113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'].map((n) =>
  path.join(CORPUS, 'salama', `${n}.mp3`),
);
const CLIP = AKHDAR[1];
/**
 * A signal must end a command within a second of CPU share: a signal is handled at the next
 * turn of the event loop, and the longest step that cannot be interrupted (the embedded
 * catalog's start, ~0.5 s of CPU) takes longer on a machine whose cores are shared. The
 * limit is a second times the load per core (at least 1.5 s); FAULT_SIGNAL_MS overrides.
 */
const SIGNAL_EXIT_MS = Number(process.env.FAULT_SIGNAL_MS ?? Math.max(1500, 1000 * (os.loadavg()[0] / os.availableParallelism())));

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-faults-'));
const mounts: string[] = [];
const children = new Set<ChildProcess>();

// A small seeded generator: the random moments of a run can be replayed (FAULT_SEED).
let seed = Number(process.env.FAULT_SEED ?? Date.now() % 100000);
const firstSeed = seed;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** ms from the fault (signal, kill) to the exit. */
  afterFaultMs?: number;
}

function ayah(args: string[], env: Record<string, string>, cwd = scratch): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, LOG_LEVEL: 'error', ...env }, timeout: 120_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** Starts ayah; `fault` runs after `delayMs`, or once stderr matches `delayMs` (a log line saying it is ready); resolves at exit. */
function ayahWithFault(args: string[], env: Record<string, string>, delayMs: number | RegExp, fault: (child: ChildProcess) => void, limitMs = 30_000): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  let faultAt = 0;
  const fire = () => {
    if (faultAt) return;
    faultAt = Date.now();
    fault(child);
  };
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (delayMs instanceof RegExp && delayMs.test(stderr)) fire();
  });
  const timer = setTimeout(fire, delayMs instanceof RegExp ? limitMs / 2 : delayMs);
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(limit);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, afterFaultMs: faultAt ? Date.now() - faultAt : undefined });
    }),
  );
}

/**
 * The exit status a shell sees: a signal that arrives before the command has installed its
 * handlers (still loading, nothing written yet) ends it by the default action, 128 + signal.
 */
function exitCode(r: Run): number | null {
  return r.signal ? 128 + (os.constants.signals[r.signal] ?? 0) : r.code;
}

/** Problems with a run that must end with `code` and one `ayah:` line on stderr matching `pattern`. */
function oneLine(r: Run, code: number, pattern?: RegExp): string[] {
  const problems: string[] = [];
  // Log lines (JSON) and the documented note of a build waiting for workers are not errors.
  const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('{') && !/: no worker is connected to Redis at /.test(l));
  if (r.code !== code) problems.push(`exit ${r.code ?? r.signal}, want ${code}`);
  if (lines.length !== 1) problems.push(`${lines.length} lines on stderr, want 1: ${JSON.stringify(r.stderr.slice(0, 300))}`);
  else if (!/^ayah: /.test(lines[0]) || (pattern && !pattern.test(lines[0]))) problems.push(`stderr: ${lines[0]}`);
  if (/^\s+at |panicked|internal error/m.test(r.stderr)) problems.push('a trace or internal error on stderr');
  return problems;
}

function folderOf(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'reciter-'));
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  return dir;
}

function copyHome(from: string, to = fs.mkdtempSync(path.join(scratch, 'home-'))): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** The version of home's index (every commit changes it): "the index as it was" is the same version. */
const indexVersionOf = (home: string) => indexStats(path.join(home, 'index'))?.versionKey;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A private redis-server on a free port (this run's alone: killing it touches nobody). */
async function privateRedis(): Promise<{ url: string; kill(): void }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.add(proc);
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG') break;
    await sleep(100);
  }
  return { url: `redis://127.0.0.1:${port}`, kill: () => proc.kill('SIGKILL') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let canMount: boolean | undefined;
/** Mounts a tmpfs of `sizeMb` at a new folder; undefined when mounting is not permitted here. */
function tmpfs(sizeMb: number): string | undefined {
  const dir = fs.mkdtempSync(path.join(scratch, 'mnt-'));
  if (canMount === false) return undefined;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  canMount = r.status === 0;
  if (!canMount) return undefined;
  mounts.push(dir);
  return dir;
}

/** A copy of the base home on a new tmpfs of `sizeMb`; undefined when mounting is not permitted. */
function homeOnTmpfs(sizeMb: number): { mnt: string; home: string } | undefined {
  const mnt = tmpfs(sizeMb);
  return mnt ? { mnt, home: copyHome(base, path.join(mnt, 'home')) } : undefined;
}

function remountReadOnly(dir: string, bind = false): void {
  if (bind) {
    execFileSync('mount', ['--bind', dir, dir]);
    mounts.push(dir);
    execFileSync('mount', ['-o', 'remount,bind,ro', dir]);
  } else execFileSync('mount', ['-o', 'remount,ro', dir]);
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

// ---------------------------------------------------------------------------------------

interface Case {
  item: number;
  name: string;
  run: () => Promise<string[] | 'skipped'>;
}

let base = '';
const clipRef = (r: Run) => r.stdout.split('\n')[0]?.split(' ')[0];

const cases: Case[] = [
  {
    item: 3,
    name: 'Redis killed while add-reciter waits for its build: exit 5 within seconds, one line',
    run: async () => {
      const redis = await privateRedis();
      const home = copyHome(base);
      const before = indexVersionOf(home);
      const r = await ayahWithFault(['add-reciter', folderOf(SALAMA.slice(0, 2)), '--name', 'Yasser Salama'], { AYAH_HOME: home, REDIS_URL: redis.url, AYAH_QUEUE_PREFIX: 'faults' }, 2500, () => redis.kill());
      const p = oneLine(r, 5, /Redis at 127\.0\.0\.1:\d+ is unreachable/);
      if ((r.afterFaultMs ?? 1e9) > 8000) p.push(`exited ${r.afterFaultMs} ms after Redis died`);
      if (indexVersionOf(home) !== before) p.push('index version changed');
      return p;
    },
  },
  {
    item: 3,
    name: 'Redis killed under `ayah worker`: exit 5 within seconds',
    run: async () => {
      const redis = await privateRedis();
      const home = copyHome(base);
      const r = await ayahWithFault(['worker', '--concurrency', '1'], { AYAH_HOME: home, REDIS_URL: redis.url, AYAH_QUEUE_PREFIX: 'faults', LOG_LEVEL: 'info' }, /worker ready/, () => redis.kill());
      const p = oneLine(r, 5, /Redis at .* is unreachable/);
      if ((r.afterFaultMs ?? 1e9) > 8000) p.push(`exited ${r.afterFaultMs} ms after Redis died`);
      return p;
    },
  },
  {
    item: 3,
    name: '`ayah worker` with Redis down: a second SIGTERM exits at once (143)',
    run: async () => {
      const redis = await privateRedis();
      const home = copyHome(base);
      const r = await ayahWithFault(['worker', '--concurrency', '1'], { AYAH_HOME: home, REDIS_URL: redis.url, AYAH_QUEUE_PREFIX: 'faults', LOG_LEVEL: 'info' }, /worker ready/, (child) => {
        redis.kill();
        setTimeout(() => child.kill('SIGTERM'), 200);
        setTimeout(() => child.kill('SIGTERM'), 500);
      });
      const p: string[] = [];
      if (exitCode(r) !== 143 && r.code !== 5) p.push(`exit ${r.code ?? r.signal}, want 143 (or 5)`);
      if ((r.afterFaultMs ?? 1e9) > 500 + SIGNAL_EXIT_MS) p.push(`exited ${r.afterFaultMs} ms after Redis died (signals at +200 and +500 ms)`);
      if (/^\s+at /m.test(r.stderr)) p.push('a trace on stderr');
      return p;
    },
  },
  ...[0, 1].map(
    (k): Case => ({
      item: 4,
      name: `SIGTERM at a random moment of add-reciter (${k + 1}/2): exit 143 within a second, index as it was (or, after the commit point, saying it committed)`,
      run: async () => {
        const home = copyHome(base);
        const before = indexVersionOf(home);
        const delay = Math.round(600 + random() * 2500);
        const r = await ayahWithFault(['add-reciter', folderOf(SALAMA), '--name', 'Yasser Salama'], { AYAH_HOME: home }, delay, (child) => child.kill('SIGTERM'));
        if (r.code === 0) return indexVersionOf(home) !== before ? [] : ['exit 0 but nothing committed'];
        const p: string[] = [];
        if (exitCode(r) !== 143) p.push(`exit ${r.code ?? r.signal} after SIGTERM at ${delay} ms, want 143`);
        if ((r.afterFaultMs ?? 1e9) > SIGNAL_EXIT_MS) p.push(`exited ${r.afterFaultMs} ms after the signal`);
        // A signal that came after the commit point: the index has the commit, and the message says so.
        const after = /interrupted \(SIGTERM\) after it committed .* version \d+;/.test(r.stderr);
        if (indexVersionOf(home) !== before && !after) p.push('index version changed');
        if (after && indexVersionOf(home) === before) p.push(`says it committed, but the index is as it was: ${r.stderr}`);
        if (/^\s+at |internal error/m.test(r.stderr)) p.push(`stderr: ${r.stderr.slice(0, 200)}`);
        const again = ayah(['identify', CLIP], { AYAH_HOME: home });
        if (again.code !== 0 || clipRef(again) !== '112:2') p.push(`identify after the signal: exit ${again.code}: ${again.stdout}${again.stderr}`);
        return p.length ? [...p, `(signal at ${delay} ms)`] : p;
      },
    }),
  ),
  {
    item: 4,
    name: 'Ctrl-C on a terminal while the validate spinner runs: exit 130 within a second',
    run: async () => {
      const dir = folderOf(fs.readdirSync(path.join(CORPUS, 'salama')).slice(0, 60).map((f) => path.join(CORPUS, 'salama', f)));
      // A pseudo-terminal (80 columns): the spinner runs, and ^C typed on it is SIGINT from the tty (unless stdin is put in raw mode).
      const py = `
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    import fcntl, termios, struct
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], 'validate', sys.argv[3]])
out = b''; t0 = time.time(); sent = None
while time.time() - t0 < 30:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try: chunk = os.read(fd, 4096)
        except OSError: break
        if not chunk: break
        out += chunk
    if sent is None and b'validating' in out:
        time.sleep(0.2); os.write(fd, b'\\x03'); sent = time.time()
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(code, int((time.time() - (sent or time.time())) * 1000), 'sent' if sent else 'not-sent')
`;
      const r = spawnSync('python3', ['-c', py, process.execPath, BIN, dir], { env: { ...process.env, AYAH_HOME: copyHome(base), LOG_LEVEL: 'error' }, timeout: 60_000 });
      const [code, ms, sent] = r.stdout.toString().trim().split(' ');
      const p: string[] = [];
      if (sent !== 'sent') p.push(`the spinner never showed: ${r.stdout}${r.stderr}`);
      if (code !== '130') p.push(`exit ${code} after ^C, want 130`);
      if (Number(ms) > SIGNAL_EXIT_MS) p.push(`exited ${ms} ms after ^C`);
      return p;
    },
  },
  {
    item: 4,
    name: 'SIGINT during index rebuild: exit 130, index as it was',
    run: async () => {
      const home = copyHome(base);
      const before = indexVersionOf(home);
      const r = await ayahWithFault(['index', 'rebuild'], { AYAH_HOME: home }, 1200 + Math.round(random() * 1000), (child) => child.kill('SIGINT'));
      const p: string[] = [];
      if (exitCode(r) !== 130) p.push(`exit ${r.code ?? r.signal}, want 130`);
      if ((r.afterFaultMs ?? 1e9) > SIGNAL_EXIT_MS) p.push(`exited ${r.afterFaultMs} ms after the signal`);
      if (indexVersionOf(home) !== before) p.push('index version changed');
      return p;
    },
  },
  {
    item: 5,
    name: 'a Lance data file deleted: identify exit 4 naming it, doctor fails naming it, index rebuild repairs',
    run: async () => {
      const home = copyHome(base);
      const data = path.join(home, 'index', 'lance');
      const seg = fs.readdirSync(data).find((t) => t.startsWith('seg_'))!;
      const file = fs.readdirSync(path.join(data, seg, 'data'))[0];
      fs.rmSync(path.join(data, seg, 'data', file));
      const p = oneLine(ayah(['identify', CLIP], { AYAH_HOME: home }), 4, new RegExp(`damaged index: table ${seg.replace('.lance', '')}: .*${file.slice(0, 12)}.* is missing; run \`ayah index rebuild\``));
      const d = ayah(['doctor'], { AYAH_HOME: home });
      if (d.code !== 1 || !/index: FAILED: .*is missing/.test(d.stdout)) p.push(`doctor: exit ${d.code}: ${d.stdout}`);
      const rb = ayah(['index', 'rebuild'], { AYAH_HOME: home });
      if (rb.code !== 0 || !/repaired/.test(rb.stdout)) p.push(`rebuild: exit ${rb.code}: ${rb.stdout}${rb.stderr}`);
      const again = ayah(['identify', CLIP], { AYAH_HOME: home });
      if (again.code !== 0 || clipRef(again) !== '112:2') p.push(`identify after the rebuild: exit ${again.code}: ${again.stdout}${again.stderr}`);
      return p;
    },
  },
  {
    item: 5,
    name: 'a truncated recordings data file: identify answers (it reads the timelines file), doctor names the table; a null manifest: exit 4, one line',
    run: async () => {
      const home = copyHome(base);
      const rec = path.join(home, 'index', 'lance', 'recordings_g0.lance', 'data');
      fs.truncateSync(path.join(rec, fs.readdirSync(rec)[0]), 100);
      const p: string[] = [];
      const id = ayah(['identify', CLIP], { AYAH_HOME: home });
      if (id.code !== 0 || clipRef(id) !== '112:2') p.push(`identify: exit ${id.code}: ${id.stdout}${id.stderr}`);
      const d = ayah(['doctor'], { AYAH_HOME: home });
      if (d.code !== 1 || !/index: FAILED: .*recordings_g0: a data file is truncated/.test(d.stdout)) p.push(`doctor: exit ${d.code}: ${d.stdout}`);
      // Without the timelines file, identify reads the recordings table and finds the damage.
      fs.rmSync(path.join(home, 'index', 'timelines'), { recursive: true });
      p.push(...oneLine(ayah(['identify', CLIP], { AYAH_HOME: home }), 4, /damaged index: table recordings_g0: a data file is truncated/));
      fs.writeFileSync(path.join(home, 'index', 'manifest.json'), 'null');
      p.push(...oneLine(ayah(['identify', CLIP], { AYAH_HOME: home }), 4, /damaged index: manifest\.json: not an object/));
      return p;
    },
  },
  {
    item: 6,
    name: 'disk full (tmpfs) during add-reciter: exit 7 naming the cause, index as it was',
    run: async () => {
      const on = homeOnTmpfs(64);
      if (!on) return 'skipped';
      const { mnt, home } = on;
      const before = indexVersionOf(home);
      // Leave about 1 MB free.
      const free = fs.statfsSync(mnt).bavail * fs.statfsSync(mnt).bsize;
      if (free > 2e6) fs.writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(free - 1e6));
      const r = ayah(['add-reciter', folderOf(SALAMA), '--name', 'Yasser Salama'], { AYAH_HOME: home });
      const p = oneLine(r, 7, /cannot write: no space left on the device \(ENOSPC\)/);
      if (indexVersionOf(home) !== before) p.push('index version changed');
      return p;
    },
  },
  {
    item: 6,
    name: 'read-only AYAH_HOME: identify, reciters list, doctor work and create nothing; add-reciter, deactivate exit 7',
    run: async () => {
      const on = homeOnTmpfs(80);
      if (!on) return 'skipped';
      const { mnt, home } = on;
      remountReadOnly(mnt);
      const files = filesUnder(home);
      const env = { AYAH_HOME: home };
      const p: string[] = [];
      const id = ayah(['identify', CLIP], env);
      if (id.code !== 0 || clipRef(id) !== '112:2') p.push(`identify: exit ${id.code}: ${id.stderr}`);
      const list = ayah(['reciters', 'list'], env);
      if (list.code !== 0 || !/ibrahim-al-akhdar/.test(list.stdout)) p.push(`reciters list: exit ${list.code}: ${list.stderr}`);
      const doc = ayah(['doctor'], env);
      if (doc.code !== 0) p.push(`doctor: exit ${doc.code}: ${doc.stdout}`);
      p.push(...oneLine(ayah(['add-reciter', folderOf(AKHDAR), '--name', 'X'], env), 7, /cannot write: read-only file system/));
      p.push(...oneLine(ayah(['reciters', 'deactivate', 'ibrahim-al-akhdar'], env), 7, /cannot write: read-only file system/));
      if (filesUnder(home).join('\n') !== files.join('\n')) p.push('files appeared in the read-only home');
      return p;
    },
  },
  {
    item: 6,
    name: 'read-only index folder (writable home): add-reciter exits 7 naming the index',
    run: async () => {
      const on = homeOnTmpfs(80);
      if (!on) return 'skipped';
      const { home } = on;
      remountReadOnly(path.join(home, 'index'), true);
      return oneLine(ayah(['add-reciter', folderOf(AKHDAR), '--name', 'X'], { AYAH_HOME: home }), 7, /index: cannot write: read-only file system/);
    },
  },
];

function cleanup(): void {
  for (const c of children) c.kill('SIGKILL');
  for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
  fs.rmSync(scratch, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const started = Date.now();
  base = path.join(scratch, 'base');
  const add = ayah(['add-reciter', folderOf(AKHDAR), '--name', 'Ibrahim Al-Akhdar'], { AYAH_HOME: base });
  if (add.code !== 0) throw new Error(`could not build the base index: ${add.stderr}`);
  const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  for (const c of cases) {
    if (only && !only.test(c.name)) continue;
    const t = Date.now();
    let result: string[] | 'skipped';
    try {
      result = await c.run();
    } catch (err) {
      result = [`threw: ${(err as Error).message}`];
    }
    const secs = ((Date.now() - t) / 1000).toFixed(1);
    if (result === 'skipped') {
      skipped++;
      console.log(`skip  [item ${c.item}] ${c.name} (mount not permitted here)`);
    } else if (result.length === 0) {
      ok++;
      console.log(`ok    [item ${c.item}] ${c.name} (${secs} s)`);
    } else {
      failed++;
      console.log(`FAIL  [item ${c.item}] ${c.name} (${secs} s)\n      ${result.join('\n      ')}`);
    }
  }
  const n = ok + failed;
  const load = os.loadavg()[0].toFixed(1);
  console.log(`${n} cases, ${ok} ok${skipped ? `, ${skipped} skipped` : ''} (seed ${firstSeed}, ${((Date.now() - started) / 1000).toFixed(0)} s, load ${load} on ${os.availableParallelism()} cores)`);
  process.exitCode = failed ? 1 : 0;
}

process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});
main()
  .catch((err) => {
    console.error(`faults: ${(err as Error).message}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
