import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SHIPPED_MODEL_PATH, trainShippedModel } from './shipped';
import { TOPIC_IDS, BRAND_SAFETY_IDS } from './taxonomy';
import { loadTopicModel } from './topic-model';

describe('the shipped model', () => {
  it('is reproduced byte for byte by retraining from data/topics', () => {
    const committed = gunzipSync(readFileSync(SHIPPED_MODEL_PATH));
    expect(trainShippedModel().equals(committed)).toBe(true);
  });

  it('covers every topic and brand-safety category', () => {
    expect(loadTopicModel(SHIPPED_MODEL_PATH).labels).toEqual([...TOPIC_IDS, ...BRAND_SAFETY_IDS].sort());
  });
});
