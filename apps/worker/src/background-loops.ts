import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig, scaledMs } from '#libs/config';
import { BRAND_SAFETY_IDS } from '#libs/topics';
import { IngestService, ProfileScheduler, ReconciliationService, UNSAFE_POST_PREFIX, enqueueDueWork, requeueStuckMoneyMovements } from '#libs/marketplace';
import { OutboxRelay, QueueProducer } from '#libs/queue';

/** a pending payout or refund is looked at again this long (scaled) after its last attempt was queued */
const STUCK_AFTER_MINUTES = 15;
/** how often stored profiles that need recomputing without a new post are looked for (scaled) */
const PROFILE_BACKFILL_MINUTES = 10;
/** a profile with a blocking brand-safety peak is recomputed this long after it was computed (scaled) */
const PEAK_RECOMPUTE_MINUTES = 24 * 60;

interface Loop {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * The worker's periodic duties: relay the outbox, sweep for due work Redis may have lost, re-check
 * verified channels, prune old posts. Each loop runs one pass at a time and survives its own errors.
 */
@Injectable()
export class BackgroundLoops {
  private readonly logger = new Logger(BackgroundLoops.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly relay: OutboxRelay;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly ingest: IngestService,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
    private readonly reconciliation: ReconciliationService,
    private readonly profiles: ProfileScheduler,
  ) {
    this.relay = new OutboxRelay(dataSource, producer);
  }

  start(): void {
    const loops: Loop[] = [
      { name: 'outbox relay', everyMs: this.config.relayIntervalMs, run: () => this.relay.drain() },
      { name: 'due-work sweep', everyMs: this.config.sweepIntervalMs, run: () => enqueueDueWork(this.dataSource, this.producer) },
      { name: 'channel re-check', everyMs: Math.max(1000, scaledMs(this.config, this.config.channelRecheckMinutes) / 4), run: () => this.scheduleRechecks() },
      { name: 'post retention', everyMs: 3600_000, run: () => this.ingest.prune(this.config.postRetentionDays) },
      { name: 'profile backfill', everyMs: Math.max(1000, scaledMs(this.config, PROFILE_BACKFILL_MINUTES)), run: () => this.backfillProfiles() },
      // payouts/refunds whose job gave up with an unknown outcome: again, same idempotency key (Stripe only)
      ...(this.reconciliation.enabled
        ? [{ name: 'stuck money movements', everyMs: this.config.sweepIntervalMs, run: () => requeueStuckMoneyMovements(this.dataSource, this.producer, { olderThanMs: scaledMs(this.config, STUCK_AFTER_MINUTES) }) }]
        : []),
      // the last 24 h against Stripe's balance transactions, hourly (Stripe only)
      ...(this.reconciliation.enabled ? [{ name: 'reconciliation', everyMs: 3600_000, run: () => this.reconciliation.schedule({ from: new Date(Date.now() - 86_400_000), to: new Date() }, 'schedule') }] : []),
    ];
    for (const loop of loops) {
      let busy = false;
      const tick = (): void => {
        if (busy) return;
        busy = true;
        const pass = loop
          .run()
          .catch((error: Error) => this.logger.warn(`${loop.name} failed: ${error.message}`))
          .finally(() => {
            busy = false;
            this.inFlight.delete(pass);
          });
        this.inFlight.add(pass);
      };
      tick();
      this.timers.push(setInterval(tick, loop.everyMs));
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.all(this.inFlight);
  }

  /** Verified and suspended channels not checked within the interval get a re-check job. */
  async scheduleRechecks(): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM channels WHERE status IN ('verified', 'suspended')
         AND (last_checked_at IS NULL OR last_checked_at < now() - make_interval(secs => $1)) LIMIT 500`,
      [scaledMs(this.config, this.config.channelRecheckMinutes) / 1000],
    );
    for (const row of rows) await this.producer.add('recheck-channel', { channelId: row.id });
    return rows.length;
  }

  /**
   * Profiles recomputed from the channel's posts, 500 a pass, when no new post would do it:
   * - those stored before they had `brandSafetyPeaks` (the recent clearly unsafe posts that keep a
   *   channel from campaigns excluding their category); once there are none, the pass costs one scan
   *   of channels (58 ms over 100,000 on the bench's catalog), and a worker of the previous version
   *   still running beside this one during a deploy is caught up with;
   * - those of verified channels with a blocking peak (an `unsafe:` score row, read by its index)
   *   computed more than a day ago (scaled): a peak fades with its post's age, and a quiet channel
   *   would otherwise stay blocked.
   * A channel whose posts are all gone keeps its profile as it is.
   */
  async backfillProfiles(): Promise<number> {
    const hasPosts = 'EXISTS (SELECT 1 FROM channel_posts p WHERE p.channel_id = c.id)';
    const rows: { id: string }[] = await this.dataSource.query(
      `(SELECT c.id FROM channels c WHERE c.topic_profile IS NOT NULL AND NOT c.topic_profile ? 'brandSafetyPeaks' AND ${hasPosts} LIMIT 500)
       UNION
       (SELECT c.id FROM channel_topic_scores s JOIN channels c ON c.id = s.channel_id
         WHERE s.topic = ANY($1) AND s.channel_verified
           AND (c.topic_profile->>'computedAt')::timestamptz < now() - make_interval(secs => $2) AND ${hasPosts} LIMIT 500)`,
      [BRAND_SAFETY_IDS.map((category) => `${UNSAFE_POST_PREFIX}${category}`), scaledMs(this.config, PEAK_RECOMPUTE_MINUTES) / 1000],
    );
    await this.profiles.schedule(rows.map((row) => row.id));
    return rows.length;
  }
}
