import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, notFound } from '#libs/common';
import { isUniqueViolation, withTransaction } from '#libs/database';
import type { ChannelFacts, PlatformAdapter } from '#libs/platforms';
import { PlatformError } from '#libs/platforms';
import { enqueueInOutbox } from '#libs/queue';
import { PLATFORM_ADAPTER } from '../tokens';
import { ChannelEntity, ChannelPriceEntity, FormatEntity } from './channel.entities';
import { newVerificationCode, normaliseHandle } from './verification-code';

export interface ChannelWithPricing {
  channel: ChannelEntity;
  pricing: ChannelPriceEntity[];
}

export interface PriceInput {
  format: string;
  priceMinor: number;
  currency: string;
}

export const VERIFICATION_INSTRUCTIONS = (code: string): string =>
  `1. Add the Placard bot to the channel as an administrator with the right to post messages. ` +
  `2. Put the code ${code} anywhere in the channel description. ` +
  `3. Call POST /v1/channels/:id/verify. You can remove the code from the description once the channel is verified.`;

@Injectable()
export class ChannelsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PLATFORM_ADAPTER) private readonly platform: PlatformAdapter,
  ) {}

  async register(ownerId: string, rawHandle: string): Promise<ChannelEntity> {
    const parsed = normaliseHandle(rawHandle);
    if (!parsed) {
      throw new DomainError(ErrorCode.ValidationFailed, 'handle must be a @username or a numeric chat id.', { field: 'handle' });
    }
    const manager = this.dataSource.manager;
    return manager.save(ChannelEntity, manager.create(ChannelEntity, { ownerId, handle: parsed.handle, verificationCode: newVerificationCode() }));
  }

  /** `lock`: take the channel row for the rest of the caller's transaction (`manager`'s). */
  async getOwned(ownerId: string, channelId: string, manager: EntityManager = this.dataSource.manager, lock?: 'for_no_key_update'): Promise<ChannelEntity> {
    const channel = await manager.findOne(ChannelEntity, { where: { id: channelId, ownerId }, ...(lock ? { lock: { mode: lock } } : {}) });
    if (!channel) throw notFound('channel');
    return channel;
  }

  async listOwned(ownerId: string): Promise<ChannelWithPricing[]> {
    const channels = await this.dataSource.manager.find(ChannelEntity, { where: { ownerId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return this.withPricing(channels);
  }

  async withPricing(channels: ChannelEntity[]): Promise<ChannelWithPricing[]> {
    if (channels.length === 0) return [];
    const prices = await this.dataSource.manager
      .createQueryBuilder(ChannelPriceEntity, 'price')
      .where('price.channel_id IN (:...ids)', { ids: channels.map((channel) => channel.id) })
      .orderBy('price.format')
      .getMany();
    return channels.map((channel) => ({ channel, pricing: prices.filter((price) => price.channelId === channel.id) }));
  }

  /**
   * Proves ownership without personal data: the bot must be an administrator allowed to post, and
   * the one-time code must be in the channel description. Facts are read from Telegram.
   */
  async verify(ownerId: string, channelId: string): Promise<ChannelEntity> {
    const channel = await this.getOwned(ownerId, channelId);
    const facts = await this.inspect(channel.chatId ?? channel.handle);
    if (!facts.botIsAdmin) throw new DomainError(ErrorCode.BotNotAdmin, undefined, { channelId });
    if (!facts.botCanPost) throw new DomainError(ErrorCode.BotCannotPost, undefined, { channelId });
    if (channel.status === 'pending' && !facts.description.includes(channel.verificationCode)) {
      throw new DomainError(ErrorCode.CodeNotFound, undefined, { channelId, code: channel.verificationCode });
    }
    try {
      await this.dataSource.manager.update(
        ChannelEntity,
        { id: channel.id },
        {
          status: 'verified',
          statusReason: null,
          chatId: facts.chatId,
          title: facts.title,
          username: facts.username,
          subscribers: facts.subscribers,
          verifiedAt: channel.verifiedAt ?? new Date(),
          lastCheckedAt: new Date(),
        },
      );
    } catch (error) {
      if (isUniqueViolation(error, 'channels_verified_chat')) throw new DomainError(ErrorCode.ChannelTaken, undefined, { channelId });
      throw error;
    }
    if (channel.status === 'pending') {
      await enqueueInOutbox(this.dataSource.manager, 'profile-channel', { channelId: channel.id });
    }
    return this.getOwned(ownerId, channelId);
  }

  /**
   * Periodic re-check by the worker: a verified channel whose bot lost its rights (or that vanished)
   * is suspended; a suspended one whose rights are back is verified again. Counts are refreshed.
   */
  async recheck(channelId: string): Promise<ChannelEntity | null> {
    const channel = await this.dataSource.manager.findOneBy(ChannelEntity, { id: channelId });
    if (!channel || channel.status === 'pending' || channel.chatId === null) return channel;
    let facts: ChannelFacts | null = null;
    let problem: string | null = null;
    try {
      facts = await this.platform.inspectChannel(channel.chatId);
      if (!facts.botIsAdmin) problem = ErrorCode.BotNotAdmin;
      else if (!facts.botCanPost) problem = ErrorCode.BotCannotPost;
    } catch (error) {
      if (error instanceof PlatformError && !error.retryable) problem = error.code === 'chat_not_found' ? ErrorCode.ChatNotFound : error.code;
      else throw error; // transient: the job retries
    }
    const update: Partial<ChannelEntity> = { lastCheckedAt: new Date() };
    if (facts) Object.assign(update, { title: facts.title, username: facts.username, subscribers: facts.subscribers });
    if (problem) Object.assign(update, { status: 'suspended', statusReason: problem });
    else if (channel.status === 'suspended') Object.assign(update, { status: 'verified', statusReason: null });
    await this.dataSource.manager.update(ChannelEntity, { id: channel.id }, update);
    return this.dataSource.manager.findOneBy(ChannelEntity, { id: channel.id });
  }

  async setPricing(ownerId: string, channelId: string, formats: PriceInput[]): Promise<ChannelWithPricing> {
    const seen = new Set<string>();
    for (const entry of formats) {
      if (seen.has(entry.format)) {
        throw new DomainError(ErrorCode.ValidationFailed, `format ${entry.format} is listed twice.`, { field: 'formats' });
      }
      seen.add(entry.format);
    }
    return withTransaction(this.dataSource, async (manager) => {
      // The price list is replaced as a whole (delete, then insert): a second list for the channel
      // waits here for the first to commit, then replaces it, instead of inserting beside it and
      // failing on the unique (channel, format) key.
      // (FOR NO KEY UPDATE: it conflicts with itself and with the price-copy trigger's lock, not with rows that reference the channel)
      const channel = await this.getOwned(ownerId, channelId, manager, 'for_no_key_update');
      const known = new Set((await manager.find(FormatEntity)).map((format) => format.code));
      const unknown = formats.filter((entry) => !known.has(entry.format)).map((entry) => entry.format);
      if (unknown.length > 0) {
        throw new DomainError(ErrorCode.ValidationFailed, `Unknown format(s): ${unknown.join(', ')}.`, {
          field: 'formats',
          known: [...known],
        });
      }
      await manager.delete(ChannelPriceEntity, { channelId: channel.id });
      if (formats.length > 0) {
        await manager.insert(
          ChannelPriceEntity,
          formats.map((entry) => ({ channelId: channel.id, format: entry.format, priceMinor: entry.priceMinor, currency: entry.currency })),
        );
      }
      const pricing = await manager.find(ChannelPriceEntity, { where: { channelId: channel.id }, order: { format: 'ASC' } });
      return { channel, pricing };
    });
  }

  listFormats(): Promise<FormatEntity[]> {
    return this.dataSource.manager.find(FormatEntity, { order: { feedMinutes: 'ASC' } });
  }

  private async inspect(chatRef: string): Promise<ChannelFacts> {
    try {
      return await this.platform.inspectChannel(chatRef);
    } catch (error) {
      if (error instanceof PlatformError) {
        if (error.code === 'chat_not_found') throw new DomainError(ErrorCode.ChatNotFound);
        if (error.code === 'bot_not_member' || error.code === 'not_enough_rights') throw new DomainError(ErrorCode.BotNotAdmin);
        throw new DomainError(ErrorCode.PlatformUnavailable, undefined, { reason: error.code });
      }
      throw error;
    }
  }
}
