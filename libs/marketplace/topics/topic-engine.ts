import { Injectable } from '@nestjs/common';
import {
  ChannelProfile,
  LanguageIdentifier,
  TopicClassifier,
  SHIPPED_MODEL_PATH,
  loadLanguageIdentifier,
  loadTopicModel,
  scriptLanguageIdentifier,
} from '#libs/topics';

export interface LoadedTopicEngine {
  model: TopicClassifier;
  languageIdentifier: LanguageIdentifier;
}

/**
 * The shipped topic model and language identifier, loaded once per process on first use: the worker
 * loads them as it starts; the API processes, which rank on stored profiles, never hold them (16 MB of
 * resident memory and the language identifier's WebAssembly instance).
 */
@Injectable()
export class TopicEngine {
  private loading: Promise<LoadedTopicEngine> | null = null;

  load(): Promise<LoadedTopicEngine> {
    this.loading ??= (async () => ({
      model: loadTopicModel(SHIPPED_MODEL_PATH),
      languageIdentifier: await loadLanguageIdentifier().catch(() => scriptLanguageIdentifier),
    }))();
    return this.loading;
  }
}

/** How many posts' evidence a stored profile keeps to explain matches. */
export const STORED_EVIDENCE_POSTS = 30;

export function toStoredEvidence(profile: ChannelProfile): ChannelProfile['evidence'] {
  return [...profile.evidence].sort((a, b) => b.weight - a.weight).slice(0, STORED_EVIDENCE_POSTS);
}
