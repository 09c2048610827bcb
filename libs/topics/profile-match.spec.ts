import { beforeAll, describe, expect, it } from 'vitest';
import type { TopicClassifier } from './grouped';
import { loadLanguageIdentifier, type LanguageIdentifier } from './language';
import { checkContext, matchChannel, weighContext } from './match';
import { buildChannelProfile, decayWeight, type ChannelPost } from './profile';
import { SHIPPED_MODEL_PATH } from './shipped';
import { classifyText, loadTopicModel } from './topic-model';

const now = new Date('2024-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const posts = (texts: string[], prefix: string): ChannelPost[] =>
  texts.map((text, index) => ({ id: `${prefix}${index + 1}`, text, date: daysAgo(index) }));

const russianCrypto = posts(
  [
    '🚀 Биткоин снова обновил максимум, альткоины растут вслед за BTC #крипта',
    'Обзор рынка: BTC 67 тысяч, ETH 3 500, ликвидации шортов на 300 млн долларов',
    'Как хранить сид-фразу: аппаратный кошелёк и никаких скриншотов 🔐',
    'Аирдроп от нового L2: проверьте кошелёк до снапшота https://teletype.in/@cryptoru/drop',
    'Стейкинг TON: где сейчас лучшая доходность и какие риски у пулов',
  ],
  'ru-',
);
const italianCooking = posts(
  [
    '🍝 La vera carbonara: guanciale, pecorino, tuorli e pepe nero. Niente panna!',
    'Ricetta della pizza napoletana fatta in casa con lievitazione di 48 ore 🍕',
    'Tiramisù classico: mascarpone, savoiardi e caffè ☕️',
    'Risotto ai funghi porcini, il segreto è la mantecatura finale',
    'Torta di mele della nonna, soffice e profumata 🍎',
  ],
  'it-',
);
const gamblingPivot = posts(
  [
    '🎰 Бонус 200% на первый депозит в онлайн-казино! Слоты и рулетка',
    'Прогноз на матч: ставка на победу, коэффициент 2.3 💰 Промокод BET500',
    'Выиграл 300 000 ₽ в слотах за вечер! Бесплатные фриспины каждый день',
    'Казино онлайн: играй в покер и рулетку на реальные деньги 🎲',
  ],
  'gamble-',
);

let model: TopicClassifier;
let languages: LanguageIdentifier;

beforeAll(async () => {
  model = loadTopicModel(SHIPPED_MODEL_PATH);
  languages = await loadLanguageIdentifier();
});

describe('classifyText', () => {
  it('handles an emoji-only post: no language, a valid distribution, nothing flagged', () => {
    const result = classifyText(model, '🔥🔥🔥 👍', { languageIdentifier: languages });
    expect(result.language).toBeNull();
    expect(result.topics.reduce((sum, entry) => sum + entry.score, 0)).toBeCloseTo(1, 6);
    expect(Math.max(...result.brandSafety.map((entry) => entry.score))).toBeLessThan(0.5);
  });

  it('handles a link-only post by its domain', () => {
    const result = classifyText(model, 'https://www.binance.com/en/futures/BTCUSDT?ref=abc', { languageIdentifier: languages });
    expect(result.language).toBeNull();
    expect(result.topics[0]!.topic).toBe('crypto');
  });

  it('handles a post with nothing known to the model', () => {
    const result = classifyText(model, '', { languageIdentifier: languages });
    expect(result.topics[0]).toEqual({ topic: 'other', score: 1 });
  });

  it('handles a mixed-language post', () => {
    const result = classifyText(model, 'Новый Bitcoin ETF одобрен! Bitcoin ETF approved, price goes up 🚀', { languageIdentifier: languages });
    expect(['ru', 'en']).toContain(result.language);
    expect(result.topics[0]!.topic).toBe('crypto');
  });
});

describe('buildChannelProfile', () => {
  it('weighs recent posts more (half-life)', () => {
    expect(decayWeight(daysAgo(14), now, 14)).toBeCloseTo(0.5, 10);
    const mixed: ChannelPost[] = [
      { id: 'old', text: italianCooking[0]!.text, date: daysAgo(60) },
      { id: 'new', text: russianCrypto[0]!.text, date: daysAgo(0) },
    ];
    const profile = buildChannelProfile(mixed, model, now, { halfLifeDays: 7 });
    expect(profile.topics[0]!.topic).toBe('crypto');
    expect(profile.postCount).toBe(2);
  });

  it('finds the language and topic of a channel', () => {
    const profile = buildChannelProfile(russianCrypto, model, now, { languageIdentifier: languages });
    expect(profile.language).toBe('ru');
    expect(profile.topics[0]!.topic).toBe('crypto');
    expect(profile.topics.reduce((sum, entry) => sum + entry.score, 0)).toBeCloseTo(1, 6);
  });
});

describe('matchChannel', () => {
  it('ranks a Russian crypto channel above an Italian cooking channel for an English crypto campaign, with reasons', () => {
    const campaign = { topics: ['crypto', 'finance'], excludedTopics: [], creativeText: 'Trade Bitcoin with zero fees on our exchange 🚀' };
    const crypto = matchChannel(campaign, buildChannelProfile(russianCrypto, model, now), undefined, { model });
    const cooking = matchChannel(campaign, buildChannelProfile(italianCooking, model, now), undefined, { model });
    expect(crypto.score).toBeGreaterThan(cooking.score);
    expect(crypto.eligible).toBe(true);
    expect(crypto.score).toBeGreaterThanOrEqual(0);
    expect(crypto.score).toBeLessThanOrEqual(1);
    expect(crypto.reasons[0]!.topic).toBe('crypto');
    expect(crypto.reasons[0]!.postIds.length).toBeGreaterThan(0);
    expect(crypto.reasons[0]!.postIds.every((id) => id.startsWith('ru-'))).toBe(true);
  });

  it('explains what the creative adds: the topics it shares with the channel, and how they enter the score', () => {
    const campaign = { topics: ['crypto'], excludedTopics: [], creativeText: 'Ricetta della pizza napoletana: farina, pomodoro e mozzarella di bufala' };
    const cooking = matchChannel(campaign, buildChannelProfile(italianCooking, model, now), undefined, { model });
    expect(cooking.creative!.reasons[0]).toMatchObject({ topic: 'food_cooking', weight: expect.any(Number) });
    expect(cooking.creative!.reasons[0]!.postIds).toHaveLength(3);
    expect(cooking.creative!.reasons[0]!.postIds.every((id) => id.startsWith('it-'))).toBe(true);
    const fromTopics = cooking.reasons.reduce((sum, reason) => sum + reason.weight, 0);
    const { weight, similarity } = cooking.creative!;
    expect(weight).toBe(0.3);
    expect(Math.abs(cooking.score - Math.min(1, (1 - weight) * fromTopics + weight * similarity))).toBeLessThanOrEqual(0.002);
    // without topics the creative alone decides, at weight 1
    const creativeOnly = matchChannel({ ...campaign, topics: [] }, buildChannelProfile(italianCooking, model, now), undefined, { model });
    expect(creativeOnly).toMatchObject({ reasons: [], creative: { weight: 1 } });
    expect(creativeOnly.score).toBeCloseTo(creativeOnly.creative!.similarity, 3);
    // without a model the creative is not read
    expect(matchChannel(campaign, buildChannelProfile(italianCooking, model, now)).creative).toBeUndefined();
  });

  it('never makes a channel eligible when it is about an excluded topic', () => {
    const profile = buildChannelProfile(russianCrypto, model, now);
    const result = matchChannel({ topics: ['crypto'], excludedTopics: ['crypto'] }, profile);
    expect(result).toMatchObject({ score: 0, eligible: false, blockedBy: ['topic:crypto'] });
  });

  it('names the posts behind a share built from posts that each lean only a little to the topic', () => {
    const lean = (postId: string, crypto: number) => ({
      postId,
      weight: 1,
      topics: [{ topic: 'crypto', score: crypto }, { topic: 'finance', score: 0.5 - crypto }, { topic: 'other', score: 0.5 }],
      brandSafety: [],
    });
    const evidence = [lean('a', 0.15), lean('b', 0.12), lean('c', 0.02), lean('d', 0.18)];
    const profile = { language: 'en', topics: [{ topic: 'finance', score: 0.383 }, { topic: 'other', score: 0.5 }, { topic: 'crypto', score: 0.117 }], brandSafety: [], postCount: 4, evidence };
    const result = matchChannel({ topics: ['crypto'], excludedTopics: [] }, profile);
    // none reaches 0.2, nor twice an even spread over these 3 topics: the bar is the post's own spread
    expect(result.reasons).toEqual([{ topic: 'crypto', weight: 0.117, postIds: [] }]);
    // over the taxonomy's 25 topics twice an even spread is 0.08: the three that lean to crypto show it
    const spread = evidence.map((post) => ({ ...post, topics: [...post.topics, ...Array.from({ length: 22 }, (_, i) => ({ topic: `t${i}`, score: 0 }))] }));
    expect(matchChannel({ topics: ['crypto'], excludedTopics: [] }, { ...profile, evidence: spread }).reasons).toEqual([{ topic: 'crypto', weight: 0.117, postIds: ['d', 'a', 'b'] }]);
  });

  it('keeps a channel with one recent casino post among many crypto ones from campaigns that exclude gambling, for about two weeks', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...russianCrypto[i % russianCrypto.length]!, id: `c${i}`, date: daysAgo(i % 3) }));
    const casino = (days: number) => ({ id: 'casino', text: gamblingPivot[0]!.text, date: daysAgo(days) });
    const recent = buildChannelProfile([...many, casino(1)], model, now, { languageIdentifier: languages });
    // its share of the profile is small: the share rules alone would let it through
    expect(recent.brandSafety.find((entry) => entry.category === 'gambling')!.score).toBeLessThan(0.1);
    expect(recent.brandSafetyPeaks!.find((entry) => entry.category === 'gambling')!.score).toBeGreaterThan(0.5);
    const excluding = matchChannel({ topics: ['crypto'], excludedTopics: ['gambling'] }, recent);
    expect(excluding).toMatchObject({ eligible: false, score: 0, blockedBy: ['unsafe_post:gambling'] });
    expect(matchChannel({ topics: ['crypto'], excludedTopics: [] }, recent).eligible).toBe(true);
    // a month-old casino post has faded below the bar
    const old = buildChannelProfile([...many, casino(30)], model, now, { languageIdentifier: languages });
    expect(matchChannel({ topics: ['crypto'], excludedTopics: ['gambling'] }, old).eligible).toBe(true);
  });

  it('blocks an excluded topic from a share of 0.1, its brand-safety namesake added, and not below', () => {
    const profile = (education: number, gamblingShare = 0) => ({
      language: 'en',
      topics: [{ topic: 'crypto', score: 1 - education }, { topic: 'education', score: education }],
      brandSafety: [{ category: 'gambling', score: gamblingShare }],
      postCount: 10,
      evidence: [],
    });
    const excluding = (topic: string) => ({ topics: ['crypto'], excludedTopics: [topic] });
    expect(matchChannel(excluding('education'), profile(0.0999)).eligible).toBe(true);
    expect(matchChannel(excluding('education'), profile(0.1))).toMatchObject({ eligible: false, score: 0, blockedBy: ['topic:education'] });
    // a share under the brand-safety bar (0.15) blocks only the campaigns that exclude it
    expect(matchChannel(excluding('gambling'), profile(0, 0.1)).blockedBy).toEqual(['topic:gambling']);
    expect(matchChannel(excluding('education'), profile(0, 0.1)).eligible).toBe(true);
    expect(matchChannel(excluding('education'), profile(0, 0.15)).blockedBy).toEqual(['brand_safety:gambling']);
  });

  it('never makes a brand-unsafe channel eligible', () => {
    const profile = buildChannelProfile(gamblingPivot, model, now);
    const result = matchChannel({ topics: ['sports', 'finance'], excludedTopics: [] }, profile);
    expect(result.eligible).toBe(false);
    expect(result.score).toBe(0);
    expect(result.blockedBy).toContain('brand_safety:gambling');
  });
});

describe('checkContext', () => {
  it('passes when the posts around the ad are still on the booked topics', () => {
    const profile = buildChannelProfile(russianCrypto, model, now);
    const result = checkContext({ bookedTopics: ['crypto'], excludedTopics: [], threshold: 0.3 }, russianCrypto.slice(0, 3), profile, model);
    expect(result.passed).toBe(true);
  });

  it('weighs each surrounding post by what it says: emoji, a bare link and a greeting next to nothing, a casino ad most', () => {
    const around = posts(['🔥🔥🔥', 'https://www.binance.com/en/futures/BTCUSDT', 'Доброе утро!', russianCrypto[0]!.text, gamblingPivot[0]!.text], 'around-');
    const weighed = weighContext(around, model, ['crypto'], { languageIdentifier: languages });
    const weights = weighed.profile.evidence.map((post) => post.weight);
    expect(weights[0]).toBeLessThan(0.001);
    for (const weak of weights.slice(1, 3)) expect(weak).toBeLessThan(0.02);
    expect(weights[3]).toBeGreaterThan(0.05);
    expect(weights[4]).toBeGreaterThan(weights[3]!);
    expect(weighed.evidence).toBeCloseTo(weights.reduce((sum, weight) => sum + weight, 0), 9);
    const shares = [...weighed.profile.topics.map((entry) => entry.score), ...weighed.profile.brandSafety.map((entry) => entry.score)];
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 6);
    expect(weighed.profile.topics.some((entry) => entry.topic === 'other')).toBe(false); // neutral unless booked
  });

  it('claims nothing about topics when the posts around the ad say too little, whatever the profile', () => {
    const around = posts(['🔥🔥🔥', 'https://www.binance.com/en/futures/BTCUSDT', '👍'], 'weak-');
    for (const profile of [buildChannelProfile(russianCrypto, model, now), buildChannelProfile(italianCooking, model, now)]) {
      const result = checkContext({ bookedTopics: ['crypto'], excludedTopics: [], threshold: 0.2 }, around, profile, model, { languageIdentifier: languages });
      expect(result).toMatchObject({ verdict: 'inconclusive', score: null, judged: 'brand_safety_only', reasons: [] });
    }
    const empty = checkContext({ bookedTopics: ['crypto'], excludedTopics: [], threshold: 0.2 }, [], buildChannelProfile(italianCooking, model, now), model);
    expect(empty).toMatchObject({ verdict: 'inconclusive', score: null, judged: 'nothing' });
  });

  it('checks only exclusions and brand safety for a campaign that booked no topics', () => {
    const profile = buildChannelProfile(italianCooking, model, now);
    const cooking = checkContext({ bookedTopics: [], excludedTopics: [], threshold: 0.2 }, italianCooking.slice(0, 3), profile, model);
    expect(cooking).toMatchObject({ verdict: 'passed', score: null, judged: 'brand_safety_only', reasons: [] });
    expect(cooking.detail).toMatch(/no topics were booked/);
    const gambling = checkContext({ bookedTopics: [], excludedTopics: [], threshold: 0.2 }, gamblingPivot, profile, model);
    expect(gambling).toMatchObject({ verdict: 'failed', score: null });
    expect(gambling.detail).toMatch(/brand-unsafe/);
    expect(checkContext({ bookedTopics: [], excludedTopics: ['food_cooking'], threshold: 0.2 }, italianCooking.slice(0, 3), profile, model).verdict).toBe('failed');
  });

  it('holds the posts beside the ad to the exclusion and brand-safety thresholds at equal weights, as they were set', () => {
    const profile = buildChannelProfile(russianCrypto, model, now);
    // a betting tip just under the single-post bar among crypto headlines: weighed by what it says it
    // would be a quarter of the context; at equal weights it is under the 0.15 brand-safety bar
    const around = posts([...russianCrypto.slice(0, 3).map((post) => post.text), 'Прогноз на матч: ставка на победу, коэффициент 2.3 💰'], 'tip-');
    const weighed = weighContext(around, model, ['crypto'], { languageIdentifier: languages });
    const tip = weighed.profile.evidence[3]!.brandSafety.find((entry) => entry.category === 'gambling')!.score;
    expect(tip).toBeLessThan(0.5);
    expect(weighed.plain.brandSafety.find((entry) => entry.category === 'gambling')!.score).toBeLessThan(0.15);
    const result = checkContext({ bookedTopics: ['crypto'], excludedTopics: [], threshold: 0.2 }, around, profile, model, { languageIdentifier: languages });
    expect(result.detail).not.toMatch(/brand-unsafe/);
    // the same posts fail a campaign that excludes gambling (share plus brand-safety score at 0.1)
    const excluding = checkContext({ bookedTopics: ['crypto'], excludedTopics: ['gambling'], threshold: 0.2 }, around, profile, model, { languageIdentifier: languages });
    expect(excluding.detail).toMatch(/excluded topic gambling makes up [\d.]+ of the surrounding posts/);
  });

  it('fails a channel that pivoted from crypto to gambling, saying why', () => {
    const profile = buildChannelProfile(russianCrypto, model, now);
    const result = checkContext({ bookedTopics: ['crypto'], excludedTopics: [], threshold: 0.3 }, gamblingPivot, profile, model);
    expect(result.passed).toBe(false);
    expect(result.score).toBeLessThan(0.3);
    expect(result.detail).toMatch(/gambling/);
    expect(result.detail).toMatch(/booked topics crypto/);
  });
});
