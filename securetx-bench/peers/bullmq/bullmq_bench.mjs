// BullMQ peer of the securetx queue benchmark (run by hand, never by CI).
//
// Redis URL from --url or BULLMQ_BENCH_URL, default redis://127.0.0.1:6379/14 (a dedicated
// database). Each subcommand prints one JSON object on its last stdout line:
//
//   versions                           node, bullmq, ioredis and redis-server versions
//   prepare-db                         refuse a database holding foreign keys, else FLUSHDB it
//   flushdb                            FLUSHDB (after a run)
//   enqueue --count N [--chunk 1000]   pre-fill with addBulk in chunks (no worker running)
//   worker [--concurrency 50]          no-op worker; prints {"ready":true}, stops on SIGTERM
//   drain-stats --expect N             wait for N completed jobs, then first/last finishedOn
//   roundtrip --count N [--warmup 50]  add one job, job.waitUntilFinished, repeat; p50/p99 ms
//
// Every subcommand takes --queue Q (default "bench").
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createRequire } from 'node:module';

const PREFIX = 'bull';

function options(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        out[argv[i].slice(2)] = true;
      } else {
        out[argv[i].slice(2)] = next;
        i++;
      }
    } else {
      out._.push(argv[i]);
    }
  }
  return out;
}

const opts = options(process.argv.slice(2));
const url = opts.url || process.env.BULLMQ_BENCH_URL || 'redis://127.0.0.1:6379/14';
const queueName = opts.queue || 'bench';
const num = (name, fallback) => (opts[name] === undefined ? fallback : Number(opts[name]));

// BullMQ 6 loads ioredis lazily through require(), which native ESM lacks: hand it instances.
// Workers need maxRetriesPerRequest null for their blocking connection. BullMQ does not close a
// connection it was handed, so every one made here is closed at exit.
const connections = [];
const connect = () => {
  const c = new Redis(url, { maxRetriesPerRequest: null });
  connections.push(c);
  return c;
};

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function percentile(sorted, q) {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

async function versions() {
  const require = createRequire(import.meta.url);
  const r = connect();
  try {
    const info = await r.info('server');
    emit({
      node: process.versions.node,
      bullmq: require('bullmq/package.json').version,
      ioredis: require('ioredis/package.json').version,
      'redis-server': /redis_version:(\S+)/.exec(info)[1],
    });
    return 0;
  } finally {
    r.disconnect();
  }
}

async function prepareDb() {
  const r = connect();
  try {
    const foreign = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const k of keys) if (!k.startsWith(PREFIX + ':')) foreign.push(k);
    } while (cursor !== '0' && foreign.length < 5);
    if (foreign.length > 0) {
      emit({ error: 'database holds keys this bench did not create', sample: foreign, url });
      return 3;
    }
    await r.flushdb();
    emit({ flushed: true, url });
    return 0;
  } finally {
    r.disconnect();
  }
}

async function flushdb() {
  const r = connect();
  try {
    await r.flushdb();
    emit({ flushed: true, url });
    return 0;
  } finally {
    r.disconnect();
  }
}

async function enqueue() {
  const count = num('count', 0);
  const chunk = num('chunk', 1000);
  const queue = new Queue(queueName, { connection: connect() });
  try {
    await queue.waitUntilReady();
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i += chunk) {
      const jobs = [];
      for (let j = i; j < Math.min(count, i + chunk); j++) {
        // Completed jobs are kept (the default): the drain figure reads their finishedOn.
        jobs.push({ name: 'noop', data: { i: j } });
      }
      await queue.addBulk(jobs);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    emit({ peer: 'bullmq', op: 'enqueue', count, chunk, seconds, per_second: count / seconds });
    return 0;
  } finally {
    await queue.close();
  }
}

async function worker() {
  const concurrency = num('concurrency', 50);
  const w = new Worker(queueName, async (job) => job.data, {
    connection: connect(),
    // Completed jobs are kept (no removeOnComplete): drain-stats reads their finishedOn.
    concurrency,
  });
  w.on('error', (e) => process.stderr.write(`worker error: ${e}\n`));
  await w.waitUntilReady();
  emit({ peer: 'bullmq', op: 'worker', ready: true, concurrency, pid: process.pid });
  await new Promise((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await w.close();
  return 0;
}

async function completedIds(r) {
  return r.zrange(`${PREFIX}:${queueName}:completed`, 0, -1);
}

async function drainStats() {
  const expect = num('expect', 0);
  const timeout = num('timeout', 600) * 1000;
  const poll = num('poll', 0.5) * 1000;
  const r = connect();
  try {
    const deadline = Date.now() + timeout;
    for (;;) {
      const done = await r.zcard(`${PREFIX}:${queueName}:completed`);
      const failed = await r.zcard(`${PREFIX}:${queueName}:failed`);
      if (done + failed >= expect) break;
      if (Date.now() > deadline) {
        emit({ error: 'timed out waiting for jobs', completed: done, failed, expected: expect });
        return 4;
      }
      await new Promise((resolve) => setTimeout(resolve, poll));
    }
    const ids = await completedIds(r);
    const stamps = [];
    let wrong = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const p = r.pipeline();
      for (const id of ids.slice(i, i + 1000)) p.hmget(`${PREFIX}:${queueName}:${id}`, 'finishedOn', 'returnvalue');
      for (const [err, [finishedOn, returnvalue]] of await p.exec()) {
        if (err || finishedOn === null) {
          wrong++;
          continue;
        }
        stamps.push(Number(finishedOn));
        if (returnvalue === null || JSON.parse(returnvalue).i === undefined) wrong++;
      }
    }
    const failed = await r.zcard(`${PREFIX}:${queueName}:failed`);
    stamps.sort((a, b) => a - b);
    const n = stamps.length;
    const seconds = (stamps[n - 1] - stamps[0]) / 1000;
    emit({
      peer: 'bullmq',
      op: 'drain',
      count: n,
      failed,
      wrong,
      first: new Date(stamps[0]).toISOString(),
      last: new Date(stamps[n - 1]).toISOString(),
      seconds,
      per_second: seconds > 0 ? n / seconds : null,
    });
    return wrong === 0 && failed === 0 ? 0 : 5;
  } finally {
    r.disconnect();
  }
}

async function roundtrip() {
  const count = num('count', 500);
  const warmup = num('warmup', 50);
  const timeout = num('timeout', 10) * 1000;
  const queue = new Queue(queueName, { connection: connect() });
  const events = new QueueEvents(queueName, { connection: connect() });
  try {
    await queue.waitUntilReady();
    await events.waitUntilReady();
    const samples = [];
    for (let i = 0; i < warmup + count; i++) {
      const start = process.hrtime.bigint();
      const job = await queue.add('noop', { i });
      const result = await job.waitUntilFinished(events, timeout);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result === undefined || result.i !== i) {
        emit({ error: 'wrong result', sent: i, got: result });
        return 5;
      }
      if (i >= warmup) samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    emit({
      peer: 'bullmq',
      op: 'roundtrip',
      count: samples.length,
      p50_ms: percentile(samples, 0.5),
      p99_ms: percentile(samples, 0.99),
      max_ms: samples[samples.length - 1],
      mean_ms: samples.reduce((a, b) => a + b, 0) / samples.length,
    });
    return 0;
  } finally {
    await events.close();
    await queue.close();
  }
}

const commands = {
  versions,
  'prepare-db': prepareDb,
  flushdb,
  enqueue,
  worker,
  'drain-stats': drainStats,
  roundtrip,
};
const command = commands[opts._[0]];
if (!command) {
  process.stderr.write(`usage: node bullmq_bench.mjs ${Object.keys(commands).join('|')} [options]\n`);
  process.exit(2);
}
try {
  process.exitCode = await command();
} catch (e) {
  emit({ error: String(e && e.stack ? e.stack : e) });
  process.exitCode = 1;
} finally {
  for (const c of connections) c.disconnect();
}
