/**
 * A stand-in API for test/processes.spec.ts: runApiProcesses around a plain HTTP server that answers
 * with the serving process's pid (the real APIs need Nest's decorator metadata, which tsx does not emit).
 */
import { createServer } from 'node:http';
import { runApiProcesses } from '../../libs/http/processes';

runApiProcesses('fixture-api', async () => {
  if (process.env.FIXTURE_FAIL_AT_START) throw new Error('refusing to start');
  const server = createServer((_request, response) => response.end(String(process.pid)));
  await new Promise<void>((resolve) => server.listen(Number(process.env.FIXTURE_PORT), '127.0.0.1', resolve));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
});
