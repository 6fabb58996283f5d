/**
 * children: the ffmpeg processes this process started and that still run. They are killed
 * when this process exits, however it exits (end of a command, a signal, a closed stdout):
 * an ffmpeg following a growing file (`-follow 1`) or reading a pipe would otherwise wait
 * for input forever after its reader is gone.
 */
interface Killable {
  kill(signal: NodeJS.Signals): unknown;
}

const running = new Set<Killable>();
let hooked = false;

/** Tracks a started ffmpeg until the returned function is called (when it has ended). */
export function trackChild(child: Killable): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of running) {
        try {
          c.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  running.add(child);
  return () => void running.delete(child);
}
