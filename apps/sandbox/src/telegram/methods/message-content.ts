import { randomBytes } from 'node:crypto';
import { badRequest, Errors } from '../bot-api-error';
import { formatText } from '../formatting';
import type { RequestParams, UploadedFile } from '../request-params';
import type { InlineKeyboardMarkup, MessageEntity, PhotoSize } from '../sandbox-model';
import type { SandboxState } from '../sandbox-state';

/** Limits from the docs: 1-4096 characters of text after entities parsing, 0-1024 of caption. */
export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

export function messageText(state: SandboxState, params: RequestParams): { text: string; entities: MessageEntity[] } {
  const formatted = formatText(
    params.string('text') ?? '',
    params.string('parse_mode'),
    params.json<MessageEntity[]>('entities', 'entities JSON object'),
    state.mentionedUser,
  );
  if (formatted.text.trim() === '') throw Errors.messageTextEmpty();
  if (formatted.text.length > MAX_TEXT_LENGTH) throw Errors.messageTooLong();
  return formatted;
}

export function messageCaption(
  state: SandboxState,
  params: RequestParams,
): { caption?: string; captionEntities?: MessageEntity[] } {
  const raw = params.string('caption');
  if (raw === undefined || raw === '') return {};
  const formatted = formatText(
    raw,
    params.string('parse_mode'),
    params.json<MessageEntity[]>('caption_entities', 'caption entities JSON object'),
    state.mentionedUser,
  );
  if (formatted.text.length > MAX_CAPTION_LENGTH) throw Errors.captionTooLong();
  return { caption: formatted.text, captionEntities: formatted.entities };
}

/** Channels take inline keyboards only; buttons here must open a URL (the sandbox has no callbacks). */
export function inlineKeyboard(params: RequestParams): InlineKeyboardMarkup | undefined {
  const markup = params.json<{ inline_keyboard?: unknown }>('reply_markup', 'reply keyboard markup JSON object');
  if (markup === undefined) return undefined;
  const rows = markup?.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const keyboard: InlineKeyboardMarkup = { inline_keyboard: [] };
  for (const row of rows as unknown[][]) {
    keyboard.inline_keyboard.push(
      row.map((button) => {
        const { text, url } = (button ?? {}) as { text?: unknown; url?: unknown };
        if (typeof text !== 'string') throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
        if (typeof url !== 'string') throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if (!isButtonUrl(url)) throw Errors.buttonUrlInvalid();
        return { text, url };
      }),
    );
  }
  return keyboard.inline_keyboard.length > 0 ? keyboard : undefined;
}

function isButtonUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'tg:', 'ton:'].includes(parsed.protocol) && (parsed.protocol === 'tg:' || parsed.hostname !== '');
  } catch {
    return false;
  }
}

export function linkPreviewOptions(params: RequestParams): Record<string, unknown> | undefined {
  const options = params.json<Record<string, unknown>>('link_preview_options', 'link preview options JSON object');
  if (options) return options;
  // the older parameter, still accepted by Telegram
  return params.boolean('disable_web_page_preview') ? { is_disabled: true } : undefined;
}

/**
 * A photo given as a file_id the sandbox issued, an uploaded file, or an HTTP URL. The sandbox does
 * not download URLs (it works offline); hosts under the reserved .invalid TLD fail as an unreachable URL would.
 */
export function resolvePhoto(state: SandboxState, params: RequestParams): PhotoSize[] {
  const photo = params.raw('photo');
  if (photo && typeof photo === 'object' && 'uploadedFileName' in photo) return newPhoto(state, (photo as UploadedFile).size);
  if (typeof photo !== 'string' || photo === '') throw badRequest('there is no photo in the request');
  const known = state.files.get(photo);
  if (known) return known;
  let url: URL;
  try {
    url = new URL(photo);
  } catch {
    throw Errors.wrongFileIdentifier();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw Errors.wrongFileIdentifier();
  if (url.hostname.endsWith('.invalid')) throw Errors.failedToGetUrlContent();
  return newPhoto(state, 48_213);
}

function newPhoto(state: SandboxState, fileSize: number): PhotoSize[] {
  const sizes: PhotoSize[] = [
    [90, 60],
    [320, 213],
    [1280, 853],
  ].map(([width, height]) => ({
    file_id: `AgAC${randomBytes(24).toString('base64url')}`,
    file_unique_id: `AQAD${randomBytes(9).toString('base64url')}`,
    width,
    height,
    file_size: Math.round((fileSize * width) / 1280),
  }));
  for (const size of sizes) state.files.set(size.file_id, sizes);
  return sizes;
}
