/**
 * `npm start`: the three production processes from the build, configured by the environment
 * (no sandbox). Migrations run first; a crash of one process stops the others.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseConfig } from '#libs/config';
import { migrate } from './migrate';

const root = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const config = parseConfig();
  await migrate(config.databaseUrl);
  const children: ChildProcess[] = ['advertiser-api', 'channel-api', 'worker'].map((app) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'src', 'main.js')], { stdio: 'inherit' });
    child.on('exit', (code) => {
      for (const other of children) if (other !== child) other.kill('SIGTERM');
      process.exitCode = code ?? 1;
    });
    return child;
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => children.forEach((child) => child.kill('SIGTERM')));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
