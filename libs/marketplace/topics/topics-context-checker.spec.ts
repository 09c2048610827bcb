import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type PlacardConfig } from '#libs/config';
import { buildChannelProfile } from '#libs/topics';
import type { StoredTopicProfile } from '../channels/channel.entities';
import { TopicEngine } from './topic-engine';
import { TopicsContextChecker } from './topics-context-checker';

const now = new Date('2024-06-01T12:00:00Z');
const posts = (texts: string[], prefix: string) => texts.map((text, index) => ({ id: `${prefix}${index + 1}`, text, date: new Date(now.getTime() - index * 3_600_000) }));
const crypto = posts(
  [
    'Биткоин снова обновил максимум, альткоины растут вслед за BTC #крипта',
    'Обзор рынка: BTC 67 тысяч, ETH 3 500, ликвидации шортов на 300 млн долларов',
    'Стейкинг TON: где сейчас лучшая доходность и какие риски у пулов',
  ],
  'c',
);
/** What channels put around an ad that says nothing about a topic. */
const uninformative = posts(['🔥🔥🔥', 'https://www.binance.com/en/futures/BTCUSDT', '👍', 'Доброе утро!'], 'u');
const cooking = posts(['Ricetta della pizza napoletana fatta in casa', 'La vera carbonara: guanciale, pecorino, tuorli e pepe nero', 'Tiramisù classico: mascarpone, savoiardi e caffè'], 'k');

const engine = new TopicEngine();
const checker = (threshold: number) => new TopicsContextChecker(engine, { ...parseConfig({ PLACARD_DEV: 'true' }), contextThreshold: threshold } as PlacardConfig);
let cryptoProfile: StoredTopicProfile;
let cookingProfile: StoredTopicProfile;

beforeAll(async () => {
  const { model, languageIdentifier } = await engine.load();
  const stored = (texts: typeof crypto) => ({ ...buildChannelProfile(texts, model, now, { languageIdentifier }), evidence: undefined, computedAt: now.toISOString() });
  cryptoProfile = stored(crypto);
  cookingProfile = stored(cooking);
});

describe('TopicsContextChecker', () => {
  it('applies the configured threshold: the same posts pass at 0.1 and fail at 0.5, and the threshold is stored with the check', async () => {
    const input = { bookedTopics: ['crypto'], excludedTopics: [], surroundingPosts: crypto, profile: cryptoProfile };
    const low = await checker(0.1).check(input);
    const high = await checker(0.5).check(input);
    expect(low).toMatchObject({ verdict: 'passed', data: { threshold: 0.1, judged: 'surrounding_posts' } });
    expect(high).toMatchObject({ verdict: 'failed', data: { threshold: 0.5, judged: 'surrounding_posts' } });
    expect(high.detail).toMatch(/^context_mismatch: booked topics crypto make up [\d.]+ of the surrounding posts \(threshold 0.5/);
    expect(low.score).toBe(high.score);
    expect(low.score).toBeGreaterThan(0.1);
    expect(low.score).toBeLessThan(0.5);
    expect(low.data!.reasons).toEqual([{ topic: 'crypto', weight: low.score, postIds: expect.arrayContaining(['c1']) }]);
  });

  it('claims no verdict on topics when emoji, a bare link and a greeting are all there is around the ad, whatever the profile', async () => {
    for (const profile of [cryptoProfile, cookingProfile]) {
      const verdict = await checker(0.2).check({ bookedTopics: ['crypto'], excludedTopics: [], surroundingPosts: uninformative, profile });
      expect(verdict).toMatchObject({ verdict: 'not_checked', score: null, data: { judged: 'brand_safety_only', threshold: 0.2 } });
      expect(verdict.detail).toMatch(/topics not judged: the 4 surrounding post\(s\) say too little about topics .*exclusions and brand safety passed/);
    }
  });

  it("judges the posts beside the ad, not the channel's profile: an excluded topic in the profile alone fails nothing", async () => {
    const verdict = await checker(0.2).check({ bookedTopics: ['crypto'], excludedTopics: ['food_cooking'], surroundingPosts: crypto, profile: cookingProfile });
    expect(verdict).toMatchObject({ verdict: 'passed', data: { judged: 'surrounding_posts' } });
    const beside = await checker(0.2).check({ bookedTopics: ['crypto'], excludedTopics: ['food_cooking'], surroundingPosts: [...crypto, ...cooking], profile: cryptoProfile });
    expect(beside.verdict).toBe('failed');
    expect(beside.detail).toMatch(/excluded topic food_cooking makes up [\d.]+ of the surrounding posts/);
  });

  it('records nothing judged when there are no posts around the ad', async () => {
    expect(await checker(0.2).check({ bookedTopics: ['crypto'], excludedTopics: [], surroundingPosts: [], profile: cryptoProfile })).toMatchObject({
      verdict: 'not_checked',
      score: null,
      data: { judged: 'nothing' },
    });
    expect(await checker(0.2).check({ bookedTopics: ['crypto'], excludedTopics: [], surroundingPosts: [], profile: null })).toMatchObject({ verdict: 'not_checked', score: null });
  });
});
