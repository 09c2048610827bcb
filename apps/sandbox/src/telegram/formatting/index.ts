import { badRequest, Errors } from '../bot-api-error';
import type { MessageEntity } from '../sandbox-model';
import { parseHtml, type MentionResolver } from './html';
import { parseMarkdownV2 } from './markdown-v2';

export type { MentionResolver } from './html';

/**
 * Turns the text parameters of a send/edit call into the message's text and entities:
 * parse_mode wins; otherwise explicit entities (those out of range are dropped, as Telegram does).
 */
export function formatText(
  rawText: string,
  parseMode: string | undefined,
  explicitEntities: MessageEntity[] | undefined,
  resolveMention: MentionResolver,
): { text: string; entities: MessageEntity[] } {
  if (parseMode) {
    const mode = parseMode.toLowerCase();
    if (mode === 'html') return parseHtml(rawText, resolveMention);
    if (mode === 'markdownv2') return parseMarkdownV2(rawText, resolveMention);
    if (mode === 'markdown') return parseMarkdownV2(rawText, resolveMention); // legacy mode: close enough for a sandbox
    throw Errors.unsupportedParseMode(parseMode);
  }
  if (explicitEntities !== undefined && !Array.isArray(explicitEntities)) throw badRequest("can't parse entities JSON object");
  const entities = (explicitEntities ?? []).filter(
    (entity) =>
      typeof entity?.type === 'string' &&
      Number.isInteger(entity.offset) &&
      Number.isInteger(entity.length) &&
      entity.offset >= 0 &&
      entity.length > 0 &&
      entity.offset + entity.length <= rawText.length,
  );
  return { text: rawText, entities };
}
