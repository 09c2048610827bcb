import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('computes once for concurrent and repeated calls within the ttl, again after it', async () => {
    const cache = new TtlCache<number>(50);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1]);
    expect(await cache.get('k', compute)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await cache.get('k', compute)).toBe(2);
  });

  it('never keeps a failure, keeps at most maxEntries, and is off with a ttl of 0', async () => {
    const cache = new TtlCache<number>(10_000, 2);
    await expect(cache.get('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('x', async () => 7)).toBe(7);
    await cache.get('y', async () => 8);
    await cache.get('z', async () => 9); // evicts x, the oldest
    expect(await cache.get('x', async () => 70)).toBe(70);
    const off = new TtlCache<number>(0);
    let calls = 0;
    await off.get('k', async () => ++calls);
    await off.get('k', async () => ++calls);
    expect(calls).toBe(2);
  });
});
