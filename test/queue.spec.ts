import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_OF_JOB, QueueProducer, jobIdFor } from '#libs/queue';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('debounced jobs (BullMQ on a real Redis)', () => {
  const prefix = `placard-test-debounce-${randomUUID().slice(0, 8)}`;
  let connection: IORedis;
  let producer: QueueProducer;
  let worker: Worker;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(() => {
    const before = process.env.QUEUE_PREFIX;
    process.env.QUEUE_PREFIX = prefix; // the producer's queues read it once, when built
    connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    producer = new QueueProducer(connection);
    if (before === undefined) delete process.env.QUEUE_PREFIX;
    else process.env.QUEUE_PREFIX = before;
    // runs every job until the test releases them: a recompute caught in the middle
    worker = new Worker(QUEUE_OF_JOB['profile-channel'], () => released, { connection: connection.duplicate(), prefix, concurrency: 4 });
  });
  afterAll(async () => {
    release();
    await worker?.close();
    await producer.queue(QUEUE_OF_JOB['profile-channel']).obliterate({ force: true });
    await producer?.close();
    connection?.disconnect();
  });

  it('adds nothing while one waits, and a job of its own for what arrives while one runs', async () => {
    const queue = producer.queue(QUEUE_OF_JOB['profile-channel']);
    const data = { channelId: randomUUID() };
    const base = jobIdFor('profile-channel', data);
    const state = async (jobId: string) => (await queue.getJob(jobId))?.getState() ?? 'none';
    const running = async (jobId: string) => {
      await (await queue.getJob(jobId))!.promote();
      for (let i = 0; i < 200 && (await state(jobId)) !== 'active'; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await state(jobId)).toBe('active');
    };

    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('added');
    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('pending');
    expect(await queue.getDelayedCount()).toBe(1);

    await running(base);
    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('added');
    expect(await state(`${base}.again`)).toBe('delayed');
    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('pending');

    await running(`${base}.again`);
    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('added');
    await running(`${base}.again-2`);
    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('all-running');

    release();
    for (let i = 0; i < 200 && (await state(base)) !== 'none'; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await state(base)).toBe('none'); // removed on completion, so the base id is free again
    expect(await producer.addDebounced('profile-channel', data, 60_000)).toBe('added');
    expect(await state(base)).toBe('delayed');
  });
});
