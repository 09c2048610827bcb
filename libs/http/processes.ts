import cluster, { type Worker } from 'node:cluster';
import { parseConfig } from '#libs/config';
import { exitOnStartupError } from './startup';

/** More restarts than this within a minute is a crash loop: the primary stops instead. */
const MAX_RESTARTS_PER_MINUTE = 10;

/**
 * Runs an API as API_PROCESSES processes that share its port (node:cluster: the primary accepts the
 * connections and hands them round), so that one API uses more than one core. With 1 (the default)
 * the API simply runs in this process. The primary only forks: it restarts a process that dies after
 * it was serving (unless that happens more than MAX_RESTARTS_PER_MINUTE times a minute), exits with
 * the code of one that fails before it served (a bad setting fails them all), and on SIGTERM or
 * SIGINT passes the signal on, waits for them and exits. Each process keeps its own caches and its
 * own `/metrics`.
 */
export function runApiProcesses(name: string, start: () => Promise<unknown>): void {
  let processes: number;
  try {
    processes = parseConfig().apiProcesses;
  } catch (error) {
    exitOnStartupError(error);
  }
  if (processes <= 1 || !cluster.isPrimary) {
    start().catch(exitOnStartupError);
    return;
  }
  const listening = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;
  const fork = (): void => void cluster.fork();
  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    const served = listening.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!served) {
      process.stderr.write(`${name}: a process failed before it served (code ${code ?? signal}); stopping\n`);
      stop(code || 1);
      return;
    }
    const now = Date.now();
    while (restarts.length > 0 && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      process.stderr.write(`${name}: a process exited (code ${code ?? signal}), the ${MAX_RESTARTS_PER_MINUTE + 1}th in a minute; stopping\n`);
      stop(code || 1);
      return;
    }
    restarts.push(now);
    process.stderr.write(`${name}: a process exited (code ${code ?? signal}); restarting it\n`);
    fork();
  });
  const stop = (code: number): void => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker.process.kill('SIGTERM');
    process.exitCode = code;
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  for (let i = 0; i < processes; i++) fork();
}
