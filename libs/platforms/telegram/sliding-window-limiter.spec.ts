import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './sliding-window-limiter';

describe('SlidingWindowLimiter', () => {
  it('lets `limit` through at once, makes the next wait, and keeps keys apart', async () => {
    const waits: number[] = [];
    const limiter = new SlidingWindowLimiter(2, 50, (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    });
    await limiter.acquire('chat-a');
    await limiter.acquire('chat-a');
    await limiter.acquire('chat-b');
    expect(waits).toEqual([]);
    await limiter.acquire('chat-a');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toBeGreaterThan(0);
  });
});
