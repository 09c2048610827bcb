import { Errors } from '../bot-api-error';
import type { MessageEntity } from '../sandbox-model';

/**
 * The HTML parse mode of the Bot API ("Formatting options" in the docs): the tags it lists,
 * the four named entities and numeric ones. Offsets are in UTF-16 code units, as Telegram's.
 */
const SIMPLE_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  code: 'code',
  pre: 'pre',
  'tg-spoiler': 'spoiler',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  entity: MessageEntity;
  /** a <code> inside <pre> only names the language; it adds no entity of its own */
  addsNoEntity?: boolean;
}

export type MentionResolver = (userId: number) => Record<string, unknown> | undefined;

export function parseHtml(source: string, resolveMention: MentionResolver): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let index = 0;
  const byteOffset = (at: number) => Buffer.byteLength(source.slice(0, at));

  while (index < source.length) {
    const char = source[index];
    if (char === '&') {
      const end = source.indexOf(';', index);
      const name = end > index ? source.slice(index + 1, end) : '';
      const decoded = decodeEntity(name);
      if (decoded !== undefined) {
        text += decoded;
        index = end + 1;
        continue;
      }
      text += char;
      index += 1;
      continue;
    }
    if (char !== '<') {
      text += char;
      index += 1;
      continue;
    }
    const close = source.indexOf('>', index);
    if (close < 0) throw Errors.cantParseEntities(`Unclosed start tag at byte offset ${byteOffset(index)}`);
    const rawTag = source.slice(index + 1, close).trim();
    if (rawTag.startsWith('/')) {
      const name = rawTag.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top || top.name !== name) {
        throw Errors.cantParseEntities(
          `Unmatched end tag at byte offset ${byteOffset(index)}, expected "</${top?.name ?? ''}>", found "</${name}>"`,
        );
      }
      top.entity.length = text.length - top.entity.offset;
      if (top.entity.length > 0 && !top.addsNoEntity) entities.push(top.entity);
    } else {
      open.push(openTag(rawTag, text.length, byteOffset(index), resolveMention, open));
    }
    index = close + 1;
  }
  if (open.length > 0) {
    throw Errors.cantParseEntities(`Can't find end tag corresponding to start tag "${open[open.length - 1].name}"`);
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function decodeEntity(name: string): string | undefined {
  if (name in NAMED_ENTITIES) return NAMED_ENTITIES[name];
  const numeric = /^#(x[0-9a-f]+|[0-9]+)$/i.exec(name);
  if (!numeric) return undefined;
  const code = numeric[1][0].toLowerCase() === 'x' ? parseInt(numeric[1].slice(1), 16) : parseInt(numeric[1], 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function openTag(
  rawTag: string,
  offset: number,
  byteOffset: number,
  resolveMention: MentionResolver,
  open: OpenTag[],
): OpenTag {
  const name = /^[a-zA-Z-]+/.exec(rawTag)?.[0].toLowerCase() ?? '';
  const attributes = parseAttributes(rawTag.slice(name.length));
  const entity: MessageEntity = { type: '', offset, length: 0 };

  if (name === 'a') {
    const href = attributes.href ?? '';
    const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
    const user = mention ? resolveMention(Number(mention[1])) : undefined;
    if (user) Object.assign(entity, { type: 'text_mention', user });
    else Object.assign(entity, { type: 'text_link', url: href });
  } else if (name === 'span' && attributes.class === 'tg-spoiler') {
    entity.type = 'spoiler';
  } else if (name === 'blockquote') {
    entity.type = 'expandable' in attributes ? 'expandable_blockquote' : 'blockquote';
  } else if (name === 'tg-emoji' && attributes['emoji-id']) {
    Object.assign(entity, { type: 'custom_emoji', custom_emoji_id: attributes['emoji-id'] });
  } else if (name === 'code' && open[open.length - 1]?.name === 'pre' && attributes.class?.startsWith('language-')) {
    // <pre><code class="language-x"> sets the language of the enclosing pre instead of adding an entity
    open[open.length - 1].entity.language = attributes.class.slice('language-'.length);
    entity.type = 'code';
  } else if (SIMPLE_TAGS[name]) {
    entity.type = SIMPLE_TAGS[name];
  } else {
    throw Errors.cantParseEntities(`Unsupported start tag "${name}" at byte offset ${byteOffset}`);
  }
  return { name, entity, addsNoEntity: name === 'code' && open[open.length - 1]?.name === 'pre' };
}

function parseAttributes(rest: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of rest.matchAll(/([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/g)) {
    attributes[match[1].toLowerCase()] = decodeAttribute(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function decodeAttribute(value: string): string {
  return value.replace(/&(lt|gt|amp|quot);/g, (_, name: string) => NAMED_ENTITIES[name]);
}
