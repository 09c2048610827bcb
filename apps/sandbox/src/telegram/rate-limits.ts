import { tooManyRequests } from './bot-api-error';

/**
 * Flood limits in the spirit of the Bot API FAQ: about 20 messages a minute in one group or
 * channel and about 30 messages a second from one bot. Counted in sliding windows so that a
 * client respecting "at most N in any window" never sees a 429.
 */
export interface RateLimitSettings {
  enabled: boolean;
  perChatPerMinute: number;
  perBotPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { enabled: true, perChatPerMinute: 20, perBotPerSecond: 30 };

class SlidingWindowCounter {
  private readonly hits = new Map<string, number[]>();

  /** Records a hit, or returns the seconds to wait when the window is full (nothing recorded). */
  hit(key: string, limit: number, windowMs: number, now: number): number {
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }

  clear(): void {
    this.hits.clear();
  }
}

export class RateLimits {
  settings: RateLimitSettings = { ...DEFAULT_RATE_LIMITS };
  private readonly perChat = new SlidingWindowCounter();
  private readonly perBot = new SlidingWindowCounter();

  /** Throws the 429 the real server would send for one more message from `botId` into `chatId`. */
  checkMessage(botId: number, chatId: number): void {
    if (!this.settings.enabled) return;
    const now = Date.now();
    const botWait = this.perBot.hit(String(botId), this.settings.perBotPerSecond, 1000, now);
    if (botWait > 0) throw tooManyRequests(botWait);
    const chatWait = this.perChat.hit(`${botId}:${chatId}`, this.settings.perChatPerMinute, 60_000, now);
    if (chatWait > 0) throw tooManyRequests(chatWait);
  }

  reset(): void {
    this.settings = { ...DEFAULT_RATE_LIMITS };
    this.perChat.clear();
    this.perBot.clear();
  }
}
