import { Errors } from '../bot-api-error';
import type { MessageEntity } from '../sandbox-model';
import type { MentionResolver } from './html';

/**
 * The MarkdownV2 parse mode as the Bot API docs define it: *bold*, _italic_, __underline__,
 * ~strikethrough~, ||spoiler||, `code`, ```pre```, [text](url), ![emoji](tg://emoji?id=…),
 * >blockquote lines, and the rule that the reserved characters must be escaped with '\'.
 */
const RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));

const TOGGLES: Record<string, { type: string; name: string }> = {
  '*': { type: 'bold', name: 'Bold' },
  _: { type: 'italic', name: 'Italic' },
  __: { type: 'underline', name: 'Underline' },
  '~': { type: 'strikethrough', name: 'Strikethrough' },
  '||': { type: 'spoiler', name: 'Spoiler' },
};

interface OpenMarker {
  marker: string;
  offset: number;
  byteOffset: number;
}

export function parseMarkdownV2(
  source: string,
  resolveMention: MentionResolver,
): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: OpenMarker[] = [];
  let quoteStart: number | null = null;
  let index = 0;
  const byteOffset = (at: number) => Buffer.byteLength(source.slice(0, at));
  const reserved = (char: string) =>
    Errors.cantParseEntities(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);

  const closeQuote = () => {
    if (quoteStart !== null && text.length > quoteStart) {
      entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
    }
    quoteStart = null;
  };

  while (index < source.length) {
    const char = source[index];
    const atLineStart = index === 0 || source[index - 1] === '\n';
    if (atLineStart && char !== '>' && quoteStart !== null) {
      // the newline that ended the quote belongs outside it
      text = text.slice(0, -1);
      closeQuote();
      text += '\n';
    }
    if (char === '\\') {
      const next = source[index + 1];
      if (next === undefined || next.charCodeAt(0) > 126) throw reserved('\\');
      text += next;
      index += 2;
      continue;
    }
    if (char === '>' && atLineStart) {
      if (quoteStart === null) quoteStart = text.length;
      index += 1;
      continue;
    }
    if (char === '`') {
      index = readCode(source, index, text.length, byteOffset, (content, entity) => {
        text += content;
        entities.push(entity);
      });
      continue;
    }
    const pair = source.slice(index, index + 2);
    const marker = pair === '__' || pair === '||' ? pair : char in TOGGLES ? char : null;
    if (marker) {
      const top = open[open.length - 1];
      if (top?.marker === marker) {
        open.pop();
        if (text.length > top.offset) {
          entities.push({ type: TOGGLES[marker].type, offset: top.offset, length: text.length - top.offset });
        }
      } else if (open.some((entry) => entry.marker === marker)) {
        throw Errors.cantParseEntities(`Can't find end of ${nameOf(top.marker)} entity at byte offset ${top.byteOffset}`);
      } else {
        open.push({ marker, offset: text.length, byteOffset: byteOffset(index) });
      }
      index += marker.length;
      continue;
    }
    if (char === '[' || (char === '!' && source[index + 1] === '[')) {
      open.push({ marker: char === '!' ? '![' : '[', offset: text.length, byteOffset: byteOffset(index) });
      index += char === '!' ? 2 : 1;
      continue;
    }
    if (char === ']') {
      const top = open[open.length - 1];
      if (!top || (top.marker !== '[' && top.marker !== '![')) throw reserved(']');
      if (source[index + 1] !== '(') throw reserved(']');
      const { url, end } = readLinkUrl(source, index + 2, top.byteOffset);
      open.pop();
      entities.push(linkEntity(top, url, text.length - top.offset, resolveMention));
      index = end;
      continue;
    }
    if (RESERVED.has(char)) throw reserved(char);
    text += char;
    index += 1;
  }
  if (open.length > 0) {
    const last = open[open.length - 1];
    throw Errors.cantParseEntities(`Can't find end of ${nameOf(last.marker)} entity at byte offset ${last.byteOffset}`);
  }
  closeQuote();
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities: entities.filter((entity) => entity.length > 0) };
}

function nameOf(marker: string): string {
  return TOGGLES[marker]?.name ?? (marker === '![' ? 'CustomEmoji' : 'TextUrl');
}

function linkEntity(
  opened: OpenMarker,
  url: string,
  length: number,
  resolveMention: MentionResolver,
): MessageEntity {
  const base = { offset: opened.offset, length };
  if (opened.marker === '![') {
    const emojiId = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1];
    if (!emojiId) throw Errors.cantParseEntities(`Custom emoji entity must contain a tg://emoji URL`);
    return { ...base, type: 'custom_emoji', custom_emoji_id: emojiId };
  }
  const mention = /^tg:\/\/user\?id=(\d+)$/.exec(url);
  const user = mention ? resolveMention(Number(mention[1])) : undefined;
  return user ? { ...base, type: 'text_mention', user } : { ...base, type: 'text_link', url };
}

/** Reads the (...) part of a link, where ')' and '\' must be escaped. */
function readLinkUrl(source: string, start: number, openedAt: number): { url: string; end: number } {
  let url = '';
  for (let index = start; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\' && index + 1 < source.length) {
      url += source[index + 1];
      index += 1;
    } else if (char === ')') {
      return { url, end: index + 1 };
    } else {
      url += char;
    }
  }
  throw Errors.cantParseEntities(`Can't find end of a URL at byte offset ${openedAt}`);
}

/** Reads `code` or ```pre``` starting at `start`; inside them only '`' and '\' are escaped. */
function readCode(
  source: string,
  start: number,
  textOffset: number,
  byteOffset: (at: number) => number,
  emit: (content: string, entity: MessageEntity) => void,
): number {
  const isPre = source.startsWith('```', start);
  const fence = isPre ? '```' : '`';
  let index = start + fence.length;
  let language: string | undefined;
  if (isPre) {
    const lineEnd = source.indexOf('\n', index);
    const firstLine = lineEnd >= 0 ? source.slice(index, lineEnd) : '';
    if (lineEnd >= 0 && /^[\w+#.-]+$/.test(firstLine)) {
      language = firstLine;
      index = lineEnd + 1;
    } else if (source[index] === '\n') {
      index += 1;
    }
  }
  let content = '';
  while (index < source.length) {
    if (source[index] === '\\' && index + 1 < source.length) {
      content += source[index + 1];
      index += 2;
      continue;
    }
    if (source.startsWith(fence, index)) {
      const entity: MessageEntity = { type: isPre ? 'pre' : 'code', offset: textOffset, length: content.length };
      if (language) entity.language = language;
      emit(content, entity);
      return index + fence.length;
    }
    content += source[index];
    index += 1;
  }
  throw Errors.cantParseEntities(`Can't find end of ${isPre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(start)}`);
}
