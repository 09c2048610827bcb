/**
 * A Telegram Bot API test server: channels, bots, human admins, updates (polling and webhook),
 * flood limits and injected faults, following core.telegram.org/bots/api for what it implements.
 * Development and tests only.
 */
export {
  TelegramSandbox,
  SandboxControlError,
  type TelegramSandboxOptions,
  type CreatedBot,
  type ChannelSettings,
  type ChannelView,
  type HumanPost,
} from './telegram-sandbox';
export { startTelegramSandbox, type RunningTelegramSandbox } from './start-telegram-sandbox';
export type { FaultSpec, FaultKind } from './faults';
export type { RateLimitSettings } from './rate-limits';
export type { AdminRights, MessageEntity } from './sandbox-model';
