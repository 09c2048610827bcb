import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PinoNestLogger, createLogger } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig, parseConfig } from '#libs/config';
import { checkHealth, exitOnStartupError } from '#libs/http';
import { TopicEngine } from '#libs/marketplace';
import { REDIS_CONNECTION } from '#libs/queue';
import type { Redis } from 'ioredis';
import { BackgroundLoops } from './background-loops';
import { JobRunner } from './job-runner';
import { UpdatesPoller } from './updates-poller';
import { WorkerModule } from './worker.module';

export interface RunningWorker {
  context: INestApplicationContext;
  url: string;
  stop(): Promise<void>;
}

/** Starts the worker: job handlers, background loops, the Telegram poller, and a health/metrics port. */
export async function startWorker(port?: number): Promise<RunningWorker> {
  parseConfig(); // fail fast with the list of bad variables
  const logger = createLogger('worker');
  const context = await NestFactory.createApplicationContext(WorkerModule, { logger: new PinoNestLogger(logger), abortOnError: false });
  const config = context.get<PlacardConfig>(PLACARD_CONFIG);
  const registry = context.get(Registry);
  registry.setDefaultLabels({ app: 'worker' });
  collectDefaultMetrics({ register: registry });
  await context.get(TopicEngine).load(); // before the first profile or context check needs it
  const runner = context.get(JobRunner);
  const loops = context.get(BackgroundLoops);
  const poller = context.get(UpdatesPoller);
  runner.start();
  loops.start();
  if (config.telegram.updates === 'polling' && config.telegram.botToken) poller.start();

  const dataSource = context.get(DataSource);
  const redis = context.get<Redis>(REDIS_CONNECTION);
  const server = await serveHealth(port ?? config.ports.worker, registry, () => checkHealth(dataSource, () => redis.ping()));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  logger.info({ url }, 'worker running');

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await poller.stop();
      await loops.stop();
      await runner.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await context.close();
    })());
  return { context, url, stop };
}

function serveHealth(port: number, registry: Registry<any>, health: () => ReturnType<typeof checkHealth>): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health') {
      health().then((report) => {
        response.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(report));
      });
    } else if (path === '/metrics') {
      registry.metrics().then((text) => {
        response.writeHead(200, { 'Content-Type': registry.contentType });
        response.end(text);
      });
    } else {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'route_not_found', message: `No route ${request.method} ${path}.` } }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

if (require.main === module) {
  startWorker()
    .then((worker) => {
      // drain in-flight jobs on SIGTERM/SIGINT, then exit
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void worker.stop().then(() => process.exit(0)));
      }
    })
    .catch(exitOnStartupError);
}
