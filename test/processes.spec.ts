import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './support/factories';

const root = join(__dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}


function launch(env: Record<string, string>): { proc: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  let stderr = '';
  const proc = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=placard-source', join(root, 'test/support/api-processes-fixture.ts')], {
    cwd: root,
    env: { ...process.env, PLACARD_DEV: 'true', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // a process group of its own, so that a failed test can kill every process in it
  });
  proc.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, exited, stderr: () => stderr };
}

describe('API_PROCESSES: one API as several processes on one port (libs/http/processes.ts)', () => {
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const proc of started) {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // the group is gone
      }
    }
  });

  it('serves from every process, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const api = launch({ API_PROCESSES: '2', FIXTURE_PORT: String(port) });
    started.push(api.proc);
    // a new connection each time (fetch would keep one alive, and so reach one process)
    const servedBy = (): Promise<number | undefined> =>
      new Promise((resolve) => {
        const request = get({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve(response.statusCode === 200 ? Number(body) : undefined));
        });
        request.on('error', () => resolve(undefined));
        // a connection handed to a process as it is killed is never answered
        request.setTimeout(2000, () => request.destroy());
      });
    const pidsServing = async (): Promise<Set<number>> => {
      const pids = new Set<number>();
      for (let i = 0; i < 12; i++) pids.add(await eventually(servedBy, 60_000, 'an answer'));
      return pids;
    };
    // the serving processes say who they are; the connections are handed round, so a few requests reach all
    const first = await eventually(async () => {
      const pids = await pidsServing();
      return pids.size === 2 ? [...pids] : undefined;
    }, 60_000, 'two serving processes');
    process.kill(first[0], 'SIGKILL');
    const replaced = await eventually(async () => {
      const pids = await pidsServing();
      return pids.size === 2 && !pids.has(first[0]) ? [...pids] : undefined;
    }, 60_000, 'a replacement');
    expect(replaced).toContain(first[1]);
    expect(api.stderr()).toContain('a process exited (code SIGKILL); restarting it');

    api.proc.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);

  it('exits non-zero, saying why, when its processes fail to start or the setting is wrong', async () => {
    const failing = launch({ API_PROCESSES: '2', FIXTURE_PORT: String(await freePort()), FIXTURE_FAIL_AT_START: '1' });
    started.push(failing.proc);
    expect(await failing.exited).toBe(1);
    expect(failing.stderr()).toContain('refusing to start');
    expect(failing.stderr()).toContain('a process failed before it served (code 1); stopping');

    const wrong = launch({ API_PROCESSES: '0', FIXTURE_PORT: String(await freePort()) });
    started.push(wrong.proc);
    expect(await wrong.exited).toBe(1);
    expect(wrong.stderr()).toContain('API_PROCESSES must be an integer >= 1 and <= 64');
  }, 120_000);
});
