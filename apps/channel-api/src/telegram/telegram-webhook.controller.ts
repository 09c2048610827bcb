import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { Public } from '#libs/http';
import { IngestService, ProfileScheduler } from '#libs/marketplace';
import { toChannelContent } from '#libs/platforms';

function sameSecret(given: string | undefined, expected: string | null): boolean {
  if (!given || !expected) return false;
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Telegram's webhook (TELEGRAM_UPDATES=webhook): the secret token header is checked first; the
 * update is reduced to channel content before anything is stored, so no person-level field is kept.
 */
@ApiExcludeController()
@Controller('telegram')
export class TelegramWebhookController {
  constructor(
    private readonly ingest: IngestService,
    private readonly profiles: ProfileScheduler,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  @Public()
  @Post('webhook')
  @HttpCode(200)
  async receive(@Headers('x-telegram-bot-api-secret-token') secret: string | undefined, @Body() update: unknown) {
    if (this.config.telegram.updates !== 'webhook') throw new DomainError(ErrorCode.RouteNotFound, 'Webhook mode is off.');
    if (!sameSecret(secret, this.config.telegram.webhookSecret)) throw new DomainError(ErrorCode.Unauthorized, 'Bad webhook secret.');
    const content = toChannelContent(update);
    if (content) await this.profiles.schedule(await this.ingest.store([content]));
    return { ok: true };
  }
}
