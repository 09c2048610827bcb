/**
 * Waits until one more request fits "at most `limit` in any `windowMs`" for a key. A sliding
 * window rather than a refilling bucket: a bucket lets a full burst through and then keeps
 * refilling, which can still exceed Telegram's per-minute count inside one minute.
 * In-process only: several processes sharing one bot share Telegram's limit, not this one.
 */
export class SlidingWindowLimiter {
  private readonly granted = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** How long a caller of this key would wait now (0: it may go at once). */
  waitMs(key: string): number {
    const now = Date.now();
    const recent = (this.granted.get(key) ?? []).filter((at) => at > now - this.windowMs);
    return recent.length < this.limit ? 0 : recent[recent.length - this.limit] + this.windowMs - now + 1;
  }

  /** Resolves when the caller may go; the time it went is recorded before resolving. */
  async acquire(key: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const recent = (this.granted.get(key) ?? []).filter((at) => at > now - this.windowMs);
      if (recent.length < this.limit) {
        recent.push(now);
        this.granted.set(key, recent);
        return;
      }
      this.granted.set(key, recent);
      await this.sleep(recent[0] + this.windowMs - now + 1);
    }
  }
}
