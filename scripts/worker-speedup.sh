#!/usr/bin/env bash
# Measures how index builds scale with BullMQ workers: the same reciter folder (default:
# ../shared/corpus/akhdar, 571 files) built by 1 worker, then by 2 workers (one
# fingerprint thread each), on the Redis and PostgreSQL of this machine. Each run gets its
# own database, BullMQ prefix and AYAH_HOME, removed afterwards. Prints the build times
# (submit → merged, without the validation pass), the fingerprinting and merge phases
# (from the jobs' timestamps), and the speed-up.
#   scripts/worker-speedup.sh [DIR]      (PG_ADMIN_URL, REDIS_URL override the services)
#   PIN=1 scripts/worker-speedup.sh      pins worker i to core i-1 (one core per worker, like one machine each)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-../shared/corpus/akhdar}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export LOG_LEVEL=warn

run() { # run WORKERS → prints the build seconds
  local n=$1 db="ayah_speedup_$$_$1" pids=()
  psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $db" >/dev/null
  export DATABASE_URL="${PG_ADMIN_URL%/*}/$db" AYAH_QUEUE_PREFIX="ayahspeedup$$_$n" AYAH_HOME
  AYAH_HOME="$(mktemp -d -t ayah-speedup-XXXXXX)"
  node bin/ayah db migrate >/dev/null
  for i in $(seq "$n"); do
    if [ -n "${PIN:-}" ]; then taskset -c $((i - 1)) node bin/ayah worker --concurrency 1 & else node bin/ayah worker --concurrency 1 & fi
    pids+=($!)
  done
  until [ "$(node bin/ayah jobs --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(new Set(JSON.parse(s).queues.flatMap(q=>q.workers)).size))')" -ge "$n" ]; do sleep 0.5; done
  node bin/ayah add-reciter "$DIR" --name "Speedup Reciter" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).seconds+" "))'
  node --input-type=module -e '
    import { Queue } from "bullmq";
    const q = (n) => new Queue(n, { connection: { url: process.env.REDIS_URL }, prefix: process.env.AYAH_QUEUE_PREFIX });
    const [fp, merge] = [q("fingerprint"), q("merge")];
    const jobs = await fp.getCompleted(0, -1), [m] = await merge.getCompleted(0, -1);
    const start = Math.min(...jobs.map((j) => j.processedOn)), end = Math.max(...jobs.map((j) => j.finishedOn));
    console.log(((end - start) / 1000).toFixed(2), ((m.finishedOn - m.processedOn) / 1000).toFixed(2));
    await fp.close(); await merge.close();'
  kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$AYAH_QUEUE_PREFIX:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null
  psql -q "$PG_ADMIN_URL" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
  rm -rf "$AYAH_HOME"
}

read -r one fp1 m1 < <(run 1)
read -r two fp2 m2 < <(run 2)
echo "files: $(find "$DIR" -name '*.mp3' | wc -l) in $DIR, $(nproc) cores"
echo "1 worker:  build ${one} s (fingerprinting ${fp1} s, merge ${m1} s)"
echo "2 workers: build ${two} s (fingerprinting ${fp2} s, merge ${m2} s)"
node -e "console.log('speed-up: build ' + ($one / $two).toFixed(2) + 'x, fingerprinting ' + ($fp1 / $fp2).toFixed(2) + 'x')"
