import { Injectable } from '@nestjs/common';
import { ChannelsService } from '#libs/marketplace';
import type { RecheckChannelJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { RecheckChannelJobData };

/** Re-reads a verified channel through Telegram; suspends it when the bot lost its rights. */
@Injectable()
export class RecheckChannelJob implements JobHandler<'recheck-channel'> {
  readonly name = 'recheck-channel' as const;
  constructor(private readonly channels: ChannelsService) {}
  async run(data: RecheckChannelJobData) {
    return (await this.channels.recheck(data.channelId))?.status ?? 'missing';
  }
}
