import { Injectable } from '@nestjs/common';
import { ProfilesService } from '#libs/marketplace';
import type { ProfileChannelJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { ProfileChannelJobData };

@Injectable()
export class ProfileChannelJob implements JobHandler<'profile-channel'> {
  readonly name = 'profile-channel' as const;
  constructor(private readonly profiles: ProfilesService) {}
  async run(data: ProfileChannelJobData) {
    const profile = await this.profiles.recompute(data.channelId);
    return profile ? { postCount: profile.postCount } : null;
  }
}
