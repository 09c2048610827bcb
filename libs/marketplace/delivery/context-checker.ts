import type { StoredTopicProfile } from '../channels/channel.entities';

export interface ContextCheckInput {
  bookedTopics: string[];
  excludedTopics: string[];
  /** the channel's posts around the sponsored one (a few before and after), content only */
  surroundingPosts: { id: string; text: string; date: Date }[];
  profile: StoredTopicProfile | null;
}

export interface ContextVerdict {
  verdict: 'passed' | 'failed' | 'not_checked';
  score: number | null;
  detail: string;
  data?: Record<string, unknown>;
}

/** The contextual part of delivery verification: does the channel still fit what was booked? */
export interface ContextChecker {
  check(input: ContextCheckInput): Promise<ContextVerdict>;
}
