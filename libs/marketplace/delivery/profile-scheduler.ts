import { Inject, Injectable } from '@nestjs/common';
import { PLACARD_CONFIG, PlacardConfig, scaledMs } from '#libs/config';
import { QueueProducer } from '#libs/queue';

/**
 * Profiles are recomputed a little after posts arrive, once per burst; posts that arrive while a
 * recompute runs get one of their own (`addDebounced`).
 */
const PROFILE_DEBOUNCE_MINUTES = 5;

@Injectable()
export class ProfileScheduler {
  constructor(
    private readonly producer: QueueProducer,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  async schedule(channelIds: string[]): Promise<void> {
    const delayMs = scaledMs(this.config, PROFILE_DEBOUNCE_MINUTES);
    for (const channelId of channelIds) await this.producer.addDebounced('profile-channel', { channelId }, delayMs);
  }
}
