import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  ChannelProfile,
  LanguageIdentifier,
  TopicClassifier,
  SHIPPED_MODEL_PATH,
  loadLanguageIdentifier,
  loadTopicModel,
  scriptLanguageIdentifier,
} from '#libs/topics';

/** The shipped topic model and language identifier, loaded once per process. */
@Injectable()
export class TopicEngine implements OnModuleInit {
  private loadedModel: TopicClassifier | null = null;
  private languages: LanguageIdentifier = scriptLanguageIdentifier;

  async onModuleInit(): Promise<void> {
    this.loadedModel = loadTopicModel(SHIPPED_MODEL_PATH);
    this.languages = await loadLanguageIdentifier().catch(() => scriptLanguageIdentifier);
  }

  get model(): TopicClassifier {
    if (!this.loadedModel) this.loadedModel = loadTopicModel(SHIPPED_MODEL_PATH);
    return this.loadedModel;
  }

  get languageIdentifier(): LanguageIdentifier {
    return this.languages;
  }
}

/** How many posts' evidence a stored profile keeps to explain matches. */
export const STORED_EVIDENCE_POSTS = 30;

export function toStoredEvidence(profile: ChannelProfile): ChannelProfile['evidence'] {
  return [...profile.evidence].sort((a, b) => b.weight - a.weight).slice(0, STORED_EVIDENCE_POSTS);
}
