import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, notFound } from '#libs/common';
import { CampaignEntity, CreativeButton, CreativeEntity } from './campaign.entities';
import { composePostText, postTextLimit, telegramLength, visibleText } from './post-content';

export interface CampaignInput {
  name: string;
  topics: string[];
  languages: string[];
  excludedTopics: string[];
  regulatorToken?: string | null;
}

export interface CreativeInput {
  text: string;
  parseMode?: 'HTML' | null;
  buttons?: CreativeButton[];
  imageUrl?: string | null;
}


@Injectable()
export class CampaignsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `vocabulary.targetable`: the topics a campaign can want; `vocabulary.excludable`: those and the
   * brand-safety categories, which can only be excluded (brand-unsafe channels never match anyway).
   */
  createCampaign(
    advertiserId: string,
    input: CampaignInput,
    vocabulary: { targetable: ReadonlySet<string>; excludable: ReadonlySet<string> },
  ): Promise<CampaignEntity> {
    const unknown = [...input.topics, ...input.excludedTopics].filter((topic) => !vocabulary.excludable.has(topic));
    if (unknown.length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, `Unknown topic(s): ${[...new Set(unknown)].join(', ')}.`, {
        field: 'topics',
        known: [...vocabulary.excludable],
      });
    }
    const untargetable = input.topics.filter((topic) => !vocabulary.targetable.has(topic));
    if (untargetable.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `${[...new Set(untargetable)].join(', ')}: brand-safety categories can be excluded, not targeted (brand-unsafe channels are never recommended).`,
        { field: 'topics', targetable: [...vocabulary.targetable] },
      );
    }
    const overlap = input.topics.filter((topic) => input.excludedTopics.includes(topic));
    if (overlap.length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, `A topic cannot be both wanted and excluded: ${overlap.join(', ')}.`, {
        field: 'excludedTopics',
      });
    }
    const manager = this.dataSource.manager;
    return manager.save(
      CampaignEntity,
      manager.create(CampaignEntity, {
        advertiserId,
        name: input.name.trim(),
        topics: [...new Set(input.topics)],
        languages: [...new Set(input.languages.map((language) => language.toLowerCase()))],
        excludedTopics: [...new Set(input.excludedTopics)],
        regulatorToken: input.regulatorToken ?? null,
      }),
    );
  }

  async getCampaign(advertiserId: string, campaignId: string): Promise<CampaignEntity> {
    const campaign = await this.dataSource.manager.findOneBy(CampaignEntity, { id: campaignId, advertiserId });
    if (!campaign) throw notFound('campaign');
    return campaign;
  }

  listCampaigns(advertiserId: string): Promise<CampaignEntity[]> {
    return this.dataSource.manager.find(CampaignEntity, { where: { advertiserId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async createCreative(advertiserId: string, advertiserName: string, campaignId: string, input: CreativeInput): Promise<CreativeEntity> {
    const campaign = await this.getCampaign(advertiserId, campaignId);
    const parseMode = input.parseMode ?? null;
    const imageUrl = input.imageUrl ?? null;
    const limit = postTextLimit(imageUrl !== null);
    const composed = visibleText(composePostText(input.text, advertiserName, campaign.regulatorToken, parseMode), parseMode);
    if (visibleText(input.text, parseMode).trim().length === 0) {
      throw new DomainError(ErrorCode.ValidationFailed, 'text must not be empty.', { field: 'text' });
    }
    if (telegramLength(composed) > limit) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `text is too long: with the disclosure label it is ${telegramLength(composed)} characters, Telegram allows ${limit}${imageUrl ? ' in a caption' : ''}.`,
      );
    }
    const manager = this.dataSource.manager;
    return manager.save(
      CreativeEntity,
      manager.create(CreativeEntity, { campaignId: campaign.id, advertiserId, text: input.text, parseMode, buttons: input.buttons ?? [], imageUrl }),
    );
  }

  async getCreative(advertiserId: string, creativeId: string): Promise<CreativeEntity> {
    const creative = await this.dataSource.manager.findOneBy(CreativeEntity, { id: creativeId, advertiserId });
    if (!creative) throw notFound('creative');
    return creative;
  }
}
