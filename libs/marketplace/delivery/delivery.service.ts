import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig, scaledMs } from '#libs/config';
import { updateReturning, withTransaction } from '#libs/database';
import type { PlatformAdapter } from '#libs/platforms';
import { PlatformError } from '#libs/platforms';
import { enqueueInOutbox } from '#libs/queue';
import { ChannelEntity } from '../channels/channel.entities';
import { contentHash } from '../campaigns/post-content';
import { CheckVerdict, PlacementEntity } from '../placements/placement.entities';
import { PlacementTransitions } from '../placements/placement-transitions';
import { CONTEXT_CHECKER, PLATFORM_ADAPTER } from '../tokens';
import { planCheckpoints } from './checkpoints';
import { ContextChecker } from './context-checker';

/** Bot API failures that mean the bot can no longer act in the channel. */
const LOST_RIGHTS = new Set(['not_enough_rights', 'bot_not_member', 'chat_not_found']);
/** Minimum spacing of random checkpoints, before scaling. */
const CHECKPOINT_GAP_MINUTES = 4 * 60;
const SURROUNDING_POSTS = 3;

export type PublishOutcome = 'published' | 'skipped' | 'failed' | 'needs_review';

interface CheckResult {
  kind: string;
  verdict: CheckVerdict;
  detail: string;
  data?: Record<string, unknown>;
}

/**
 * The worker's side of a deal: publish once, verify at checkpoints, settle. Every method reloads
 * state from Postgres and is safe to run twice; Postgres, not the queue, remembers what happened.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: PlacementTransitions,
    @Inject(PLATFORM_ADAPTER) private readonly platform: PlatformAdapter,
    @Inject(CONTEXT_CHECKER) private readonly context: ContextChecker,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  /**
   * Sends the post. The send is recorded before (send_state = started) and after (sent, with the
   * message id). A run that finds a send started but not recorded cannot know whether Telegram got
   * it, so it never sends again: the placement goes to needs_review for a person to look at. If that
   * send was only still in flight, the run that made it records its message id when it returns,
   * which takes the placement from needs_review to published.
   */
  async publish(placementId: string): Promise<PublishOutcome> {
    const placement = await this.dataSource.manager.findOneBy(PlacementEntity, { id: placementId });
    if (!placement || placement.status !== 'scheduled') return 'skipped';
    if (placement.sendState !== 'none') {
      await this.flag(placement, 'a send was started but its result was never recorded; the post may or may not be in the channel');
      return 'needs_review';
    }
    if (placement.topEndsAt.getTime() <= Date.now()) {
      // e.g. the worker was down: a late post cannot give the advertiser the top window they paid for
      await this.failPublish(placement, 'missed_slot: the post could not be published before its top window ended');
      return 'failed';
    }
    const channel = await this.dataSource.manager.findOneByOrFail(ChannelEntity, { id: placement.channelId });
    if (channel.status !== 'verified' || channel.chatId === null) {
      await this.failPublish(placement, `channel_${channel.status}: ${channel.statusReason ?? 'the channel cannot take posts'}`);
      return 'failed';
    }
    const claimed = await updateReturning(
      this.dataSource,
      `UPDATE placements SET send_state = 'started', send_started_at = now() WHERE id = $1 AND status = 'scheduled' AND send_state = 'none' RETURNING id`,
      [placementId],
    );
    if (claimed.length === 0) return 'skipped';

    let sent: { messageId: number; date: Date };
    try {
      sent = await this.platform.publish(channel.chatId, {
        text: placement.postText,
        parseMode: placement.postParseMode ?? undefined,
        buttons: placement.postButtons,
        imageUrl: placement.postImageUrl ?? undefined,
      });
    } catch (error) {
      return this.afterFailedSend(placement, error);
    }

    const publishedAt = new Date();
    const checkpoints = planCheckpoints(publishedAt, placement.topEndsAt, placement.endsAt, scaledMs(this.config, CHECKPOINT_GAP_MINUTES));
    await withTransaction(this.dataSource, async (tx) => {
      const current = await tx.findOneByOrFail(PlacementEntity, { id: placementId });
      await this.transitions.apply(tx, current, {
        action: 'publish',
        actor: 'worker',
        changes: { sendState: 'sent', messageId: sent.messageId, publishedAt, checkpoints: checkpoints.map((at) => at.toISOString()) },
        followUps: checkpoints.map((runAt, checkpoint) => ({ name: 'verify' as const, data: { placementId, checkpoint }, runAt })),
      });
    });
    return 'published';
  }

  private async afterFailedSend(placement: PlacementEntity, error: unknown): Promise<PublishOutcome> {
    if (error instanceof PlatformError && error.code !== 'outcome_unknown') {
      if (error.retryable) {
        // Telegram refused before accepting anything (e.g. still rate limited): nothing was sent, try again later
        await this.dataSource.query(`UPDATE placements SET send_state = 'none', send_started_at = NULL WHERE id = $1 AND send_state = 'started'`, [
          placement.id,
        ]);
        throw error;
      }
      const reason = LOST_RIGHTS.has(error.code) ? `bot_lost_rights: ${error.code}` : `publish_refused: ${error.code}`;
      await this.failPublish(placement, reason);
      return 'failed';
    }
    if (error instanceof PlatformError) {
      await this.flag(placement, `the send's outcome is unknown (${error.message}); not sending again`);
      return 'needs_review';
    }
    // Anything else (a crash, a bug) leaves send_state = started: the retry will flag it for review.
    throw error;
  }

  /** Runs the checks of one checkpoint, stores each verdict once, and asks for settlement when decided. */
  async verify(placementId: string, checkpoint: number): Promise<void> {
    const placement = await this.dataSource.manager.findOneBy(PlacementEntity, { id: placementId });
    if (!placement || placement.status !== 'published' || placement.messageId === null) return;
    const channel = await this.dataSource.manager.findOneByOrFail(ChannelEntity, { id: placement.channelId });
    const results = await this.runChecks(placement, channel);
    const isLast = checkpoint >= placement.checkpoints.length - 1;

    await withTransaction(this.dataSource, async (tx) => {
      for (const result of results) {
        await tx.query(
          `INSERT INTO delivery_checks (placement_id, checkpoint, kind, verdict, detail, data) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (placement_id, checkpoint, kind) DO NOTHING`,
          [placementId, checkpoint, result.kind, result.verdict, result.detail, result.data ? JSON.stringify(result.data) : null],
        );
      }
      const stored: { verdict: CheckVerdict }[] = await tx.query(`SELECT verdict FROM delivery_checks WHERE placement_id = $1 AND checkpoint = $2`, [
        placementId,
        checkpoint,
      ]);
      if (isLast || stored.some((check) => check.verdict === 'failed')) {
        await enqueueInOutbox(tx, 'settle', { placementId });
      }
    });
  }

  private async runChecks(placement: PlacementEntity, channel: ChannelEntity): Promise<CheckResult[]> {
    const messageId = placement.messageId as number;
    const results: CheckResult[] = [];
    const rights = await this.rightsCheck(channel);
    if (rights) results.push(rights);
    try {
      const exists = await this.platform.postExists(channel.chatId as string, messageId);
      if (exists) results.push({ kind: 'exists', verdict: 'passed', detail: `message ${messageId} is in the channel` });
      else if (Date.now() >= placement.endsAt.getTime()) {
        // this check ran after the format was over: the owner may rightly have removed the post
        results.push({ kind: 'exists', verdict: 'not_checked', detail: `checked after the end of the format (${placement.endsAt.toISOString()}); message ${messageId} is gone, as it may be by then` });
      } else results.push({ kind: 'exists', verdict: 'failed', detail: `message ${messageId} was deleted before the end of the format` });
    } catch (error) {
      if (!(error instanceof PlatformError) || error.retryable || !LOST_RIGHTS.has(error.code)) throw error;
      results.push({ kind: 'bot_rights', verdict: 'failed', detail: `bot_lost_rights: the bot can no longer see or post in the channel (${error.code})` });
    }
    results.push(await this.editCheck(placement, messageId));
    results.push(await this.coverCheck(placement, messageId));
    results.push(await this.contextCheck(placement, channel, messageId));
    return results;
  }

  /**
   * The bot must still be an administrator allowed to post: Telegram lets a bot copy from a public
   * channel it no longer administers, so the existence check alone would not notice lost rights.
   */
  private async rightsCheck(channel: ChannelEntity): Promise<CheckResult | null> {
    try {
      const rights = await this.platform.botRights(channel.chatId as string);
      if (rights.isAdmin && rights.canPost) return null;
      const lost = rights.isAdmin ? 'the right to post' : 'administrator rights';
      return { kind: 'bot_rights', verdict: 'failed', detail: `bot_lost_rights: the channel took ${lost} from the Placard bot` };
    } catch (error) {
      if (!(error instanceof PlatformError) || error.retryable || !LOST_RIGHTS.has(error.code)) throw error;
      return { kind: 'bot_rights', verdict: 'failed', detail: `bot_lost_rights: the bot can no longer see the channel (${error.code})` };
    }
  }

  private async editCheck(placement: PlacementEntity, messageId: number): Promise<CheckResult> {
    const rows: { text: string; edited_at: Date | null }[] = await this.dataSource.query(
      `SELECT text, edited_at FROM channel_posts WHERE channel_id = $1 AND message_id = $2`,
      [placement.channelId, messageId],
    );
    const edited = rows[0]?.edited_at ? rows[0] : null;
    if (edited && contentHash(edited.text, null) !== placement.contentHash) {
      return { kind: 'not_edited', verdict: 'failed', detail: `edited: the post was changed at ${new Date(edited.edited_at as Date).toISOString()} away from the approved content` };
    }
    return { kind: 'not_edited', verdict: 'passed', detail: edited ? 'edited, but the visible content is unchanged' : 'no edit seen' };
  }

  private async coverCheck(placement: PlacementEntity, messageId: number): Promise<CheckResult> {
    const rows: { message_id: number; posted_at: Date }[] = await this.dataSource.query(
      `SELECT message_id, posted_at FROM channel_posts WHERE channel_id = $1 AND message_id > $2 AND posted_at < $3 ORDER BY message_id LIMIT 5`,
      [placement.channelId, messageId, placement.topEndsAt],
    );
    if (rows.length > 0) {
      return {
        kind: 'not_covered',
        verdict: 'failed',
        detail: `covered: ${rows.length === 5 ? '5 or more posts' : `${rows.length} post(s)`} went above it inside the top window (until ${placement.topEndsAt.toISOString()})`,
        data: { coveringMessageIds: rows.map((row) => row.message_id) },
      };
    }
    return { kind: 'not_covered', verdict: 'passed', detail: 'nothing was posted above it inside the top window so far' };
  }

  private async contextCheck(placement: PlacementEntity, channel: ChannelEntity, messageId: number): Promise<CheckResult> {
    const posts: { id: string; text: string; posted_at: Date }[] = await this.dataSource.query(
      `(SELECT id, text, posted_at, message_id FROM channel_posts WHERE channel_id = $1 AND message_id < $2 ORDER BY message_id DESC LIMIT $3)
       UNION ALL
       (SELECT id, text, posted_at, message_id FROM channel_posts WHERE channel_id = $1 AND message_id > $2 ORDER BY message_id ASC LIMIT $3)`,
      [placement.channelId, messageId, SURROUNDING_POSTS],
    );
    const verdict = await this.context.check({
      bookedTopics: placement.bookedTopics,
      excludedTopics: placement.excludedTopics,
      surroundingPosts: posts.map((post) => ({ id: post.id, text: post.text, date: new Date(post.posted_at) })),
      profile: channel.topicProfile,
    });
    return {
      kind: 'context',
      verdict: verdict.verdict,
      detail: verdict.detail,
      data: { score: verdict.score, ...(verdict.data ?? {}) },
    };
  }

  /** Completes or fails a published placement from its stored verdicts; a no-op until they decide. */
  async settle(placementId: string): Promise<void> {
    await withTransaction(this.dataSource, async (tx) => {
      const placement = await tx.findOne(PlacementEntity, { where: { id: placementId }, lock: { mode: 'pessimistic_write' } });
      if (!placement || placement.status !== 'published') return;
      const failed: { kind: string; detail: string }[] = await tx.query(
        `SELECT kind, detail FROM delivery_checks WHERE placement_id = $1 AND verdict = 'failed' ORDER BY id LIMIT 1`,
        [placementId],
      );
      if (failed[0]) {
        await this.transitions.apply(tx, placement, { action: 'fail', actor: 'worker', reason: failed[0].detail });
        return;
      }
      const lastCheckpoint = placement.checkpoints.length - 1;
      const final: { n: number }[] = await tx.query(
        `SELECT count(*)::int AS n FROM delivery_checks WHERE placement_id = $1 AND checkpoint = $2 AND kind = 'exists' AND verdict <> 'failed'`,
        [placementId, lastCheckpoint],
      );
      if (final[0].n === 1) {
        await this.transitions.apply(tx, placement, { action: 'complete', actor: 'worker', reason: 'every check passed until the end of the format' });
      }
    });
  }

  private async failPublish(placement: PlacementEntity, reason: string): Promise<void> {
    await this.transitionLocked(placement.id, (tx, current) =>
      this.transitions.apply(tx, current, { action: 'publish_failed', actor: 'worker', reason, changes: { sendState: 'none', sendStartedAt: null } }),
    );
  }

  private async flag(placement: PlacementEntity, reason: string): Promise<void> {
    this.logger.warn(`placement ${placement.id} needs review: ${reason}`);
    await this.transitionLocked(placement.id, (tx, current) => this.transitions.apply(tx, current, { action: 'flag', actor: 'worker', reason }));
  }

  private async transitionLocked(placementId: string, work: (tx: EntityManager, placement: PlacementEntity) => Promise<unknown>): Promise<void> {
    await withTransaction(this.dataSource, async (tx) => {
      const current = await tx.findOne(PlacementEntity, { where: { id: placementId }, lock: { mode: 'pessimistic_write' } });
      if (current && current.status === 'scheduled') await work(tx, current);
    });
  }
}
