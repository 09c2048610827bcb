import { Inject, Injectable } from '@nestjs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { checkContext } from '#libs/topics';
import { ContextCheckInput, ContextChecker, ContextVerdict } from '../delivery/context-checker';
import { TopicEngine } from './topic-engine';

/** Delivery verification by content: the posts around the ad against the booked topics. */
@Injectable()
export class TopicsContextChecker implements ContextChecker {
  constructor(
    private readonly engine: TopicEngine,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  async check(input: ContextCheckInput): Promise<ContextVerdict> {
    if (input.profile === null && input.surroundingPosts.length === 0) {
      return { verdict: 'not_checked', score: null, detail: 'context was not checked: the channel has no ingested posts yet' };
    }
    const profile = {
      language: input.profile?.language ?? null,
      topics: input.profile?.topics ?? [],
      brandSafety: input.profile?.brandSafety ?? [],
      postCount: input.profile?.postCount ?? 0,
      evidence: [], // the profile is only quoted beside the verdict: its evidence posts are not needed
    };
    const { model, languageIdentifier } = await this.engine.load();
    const threshold = this.config.contextThreshold;
    const result = checkContext(
      { bookedTopics: input.bookedTopics, excludedTopics: input.excludedTopics, threshold },
      input.surroundingPosts,
      profile,
      model,
      { languageIdentifier },
    );
    return {
      verdict: result.verdict === 'inconclusive' ? 'not_checked' : result.verdict,
      score: result.score,
      detail: result.verdict === 'failed' ? `context_mismatch: ${result.detail}` : result.detail,
      data: { reasons: result.reasons, threshold, judged: result.judged },
    };
  }
}
