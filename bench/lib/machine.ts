import { createServer, connect, type AddressInfo } from 'node:net';
import { BASE_DB, pgClient } from './common';
import { percentile } from './load';

/**
 * How fast this machine is at what the benchmarks are made of, measured at the start of the run, so
 * that figures from two machines can be told apart: the same code gave catalog p99 8 ms on one 2-core
 * box and 117 ms on another whose Postgres round trip was ~3x slower. Medians, one core.
 */
export interface MachineFigures {
  /** A plain JavaScript loop: ns per iteration. */
  loopNs: number;
  /** TCP round trip over loopback between two sockets of this process: µs. */
  loopbackRttUs: number;
  /** `SELECT 1` over one pg connection: µs per round trip. */
  postgresRoundTripUs: number;
}

export async function measureMachine(): Promise<MachineFigures> {
  return { loopNs: loopNs(), loopbackRttUs: await loopbackRttUs(), postgresRoundTripUs: await postgresRoundTripUs() };
}

const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

function loopNs(): number {
  const rounds: number[] = [];
  let sink = 0;
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20_000_000; i++) sink += i % 7;
    rounds.push(Number(process.hrtime.bigint() - started) / 20_000_000);
  }
  if (sink < 0) throw new Error('unreachable');
  return median(rounds);
}

async function loopbackRttUs(trips = 5000): Promise<number> {
  const server = createServer((socket) => socket.on('data', (data) => socket.write(data)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const timings: number[] = [];
  await new Promise<void>((resolve) => {
    let sent = process.hrtime.bigint();
    socket.on('data', () => {
      timings.push(Number(process.hrtime.bigint() - sent) / 1e3);
      if (timings.length === trips) return resolve();
      sent = process.hrtime.bigint();
      socket.write('x');
    });
    socket.write('x');
  });
  socket.destroy();
  server.close();
  return median(timings.slice(trips / 10));
}

async function postgresRoundTripUs(trips = 3000): Promise<number> {
  const client = await pgClient(`${BASE_DB}/postgres`);
  try {
    const timings: number[] = [];
    for (let i = 0; i < trips; i++) {
      const started = process.hrtime.bigint();
      await client.query('SELECT 1');
      timings.push(Number(process.hrtime.bigint() - started) / 1e3);
    }
    return median(timings.slice(trips / 10));
  } finally {
    await client.end();
  }
}
