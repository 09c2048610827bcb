import { DemoError } from './http';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined; fails with a
 * message naming `what` (and the last thing seen) after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; lastSeen?: () => string; onTick?: () => void },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = options.lastSeen?.();
      throw new DemoError(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}${seen ? ` (last seen: ${seen})` : ''}`);
    }
    options.onTick?.();
    await sleep(options.intervalMs ?? 500);
  }
}

export { sleep };
