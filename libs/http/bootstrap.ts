import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PinoNestLogger, createLogger } from '#libs/common';
import { PlacardConfig, parseConfig } from '#libs/config';
import { ErrorBodyFilter } from './exception.filter';
import { checkHealth } from './health';
import { createMetricsRegistry, httpMetrics } from './metrics';
import { RateLimiter } from './rate-limiter';
import { createValidationPipe } from './validation';

export interface HttpAppOptions {
  name: string;
  title: string;
  description: string;
}

/**
 * Builds an API process: Fastify, `/v1` prefix, CONTRACT.md's error body everywhere, validation,
 * `/health`, `/metrics`, `/openapi.json` and `/docs`, structured logs and shutdown hooks.
 */
export async function createHttpApp(module: unknown, options: HttpAppOptions): Promise<{ app: NestFastifyApplication; logger: Logger }> {
  const logger = createLogger(options.name);
  // behind a proxy, TRUST_PROXY makes request.ip the client's address; without one it would let
  // anyone pick their address (and dodge the per-address limit on public routes) with X-Forwarded-For
  const adapter = new FastifyAdapter({ bodyLimit: 256 * 1024, trustProxy: parseConfig().trustProxy });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger: new PinoNestLogger(logger),
    rawBody: true, // every API mounts the Stripe webhook, whose signature covers the raw body
    abortOnError: false,
    bufferLogs: false,
  });
  app.setGlobalPrefix('v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'telegram/webhook', method: RequestMethod.POST },
    ],
  });
  app.useGlobalFilters(new ErrorBodyFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  const registry = createMetricsRegistry(options.name);
  const metrics = httpMetrics(registry);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  const dataSource = app.get(DataSource);
  const limiter = app.get(RateLimiter);
  fastify.get('/health', async (_request, reply) => {
    const report = await checkHealth(dataSource, () => limiter.ping());
    reply.status(report.status === 'ok' ? 200 : 503).send(report);
  });
  fastify.get('/metrics', async (_request, reply) => {
    reply.header('Content-Type', registry.contentType).send(await registry.metrics());
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
      .build(),
  );
  fastify.get('/openapi.json', async () => document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', raw: ['json'] });
  return { app, logger };
}

export async function listen(app: INestApplication, port: number, host = '0.0.0.0'): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}

/** Creates an API process and starts listening on `port` (or the port its configuration names). */
export async function startHttpApi(
  module: unknown,
  options: HttpAppOptions & { port: (config: PlacardConfig) => number },
  port?: number,
): Promise<{ app: NestFastifyApplication; url: string; logger: Logger }> {
  const config = parseConfig();
  const { app, logger } = await createHttpApp(module, options);
  const url = await listen(app, port ?? options.port(config));
  logger.info({ url }, `${options.name} listening`);
  return { app, url, logger };
}
