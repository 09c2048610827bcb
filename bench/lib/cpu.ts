import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time (user + system) spent by processes, read from /proc: how much work one request costs each
 * side, which a latency percentile on a shared 2-core box cannot tell apart from waiting for a core.
 */

let ticksPerSecond: number | null = null;
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * utime + stime of one process in seconds (`own`), and the CPU of its children that have exited and
 * been waited for (cutime + cstime, `waited`); null when it is gone or /proc is not there.
 */
function processCpuSeconds(pid: number | string): { command: string; ppid: number; own: number; waited: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command is in parentheses and may itself hold spaces or parentheses
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15, cutime and cstime 16 and 17
    const seconds = (a: string, b: string): number => (Number(a) + Number(b)) / clockTicks();
    return { command, ppid: Number(fields[1]), own: seconds(fields[11], fields[12]), waited: seconds(fields[13], fields[14]) };
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  /** the measured service's processes together, with the processes they started (an API's API_PROCESSES) */
  service: number;
  /**
   * every process whose command is `postgres` on this machine (server, backends, background workers:
   * autovacuum and other databases' sessions too, so run the bench on a quiet machine), with the
   * backends that have exited (closed connections) counted in the server's waited-for children; a
   * backend that exits while the snapshot is read can be missed
   */
  postgres: number;
  /** this process */
  bench: number;
}

/** CPU seconds so far of the service's processes (summed), of Postgres and of the bench. */
export function cpuSnapshot(servicePids: (number | undefined)[]): CpuSnapshot {
  let postgres = 0;
  let seen = false;
  const others = new Map<number, { ppid: number; seconds: number }>();
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const usage = processCpuSeconds(entry);
    if (!usage) continue;
    if (usage.command === 'postgres') {
      postgres += usage.own + usage.waited;
      seen = true;
    } else {
      others.set(Number(entry), { ppid: usage.ppid, seconds: usage.own });
    }
  }
  if (!seen) postgres = NaN; // not on this machine (or no /proc): unknown, not free
  const service = servicePids.reduce<number>((sum, pid) => {
    if (pid === undefined || !others.has(pid)) return NaN;
    // the process and its descendants (live ones: an API's cluster processes)
    let seconds = 0;
    for (let frontier = [pid]; frontier.length > 0; ) {
      for (const id of frontier) seconds += others.get(id)?.seconds ?? 0;
      frontier = [...others].filter(([, proc]) => frontier.includes(proc.ppid)).map(([id]) => id);
    }
    return sum + seconds;
  }, 0);
  const { user, system } = process.cpuUsage();
  return { service, postgres, bench: (user + system) / 1e6 };
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** CPU ms per request between two snapshots, per side. */
export function cpuMsPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuSnapshot {
  const per = (seconds: number): number => (requests > 0 ? (seconds * 1000) / requests : NaN);
  return { service: per(after.service - before.service), postgres: per(after.postgres - before.postgres), bench: per(after.bench - before.bench) };
}
