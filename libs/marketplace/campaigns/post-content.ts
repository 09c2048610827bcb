import { createHash } from 'node:crypto';

/** Telegram's limits, counted after entity parsing (what the reader sees). */
export const TELEGRAM_LIMITS = { messageText: 4096, caption: 1024, buttons: 4, buttonText: 64 } as const;

const HTML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

/** The text as readers see it: tags of Telegram's HTML parse mode removed and entities decoded. */
export function visibleText(text: string, parseMode: 'HTML' | null): string {
  if (parseMode !== 'HTML') return text;
  return text.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot);/g, (entity) => HTML_ENTITIES[entity] ?? entity);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram counts length in UTF-16 code units, as JavaScript does. */
export function telegramLength(text: string): number {
  return text.length;
}

/** Every sponsored post ends with a disclosure: "#ad", who pays for it, and the regulator token if any. */
export function disclosureLabel(advertiserName: string, regulatorToken: string | null, parseMode: 'HTML' | null): string {
  const name = parseMode === 'HTML' ? escapeHtml(advertiserName) : advertiserName;
  const token = regulatorToken ? ` · erid: ${parseMode === 'HTML' ? escapeHtml(regulatorToken) : regulatorToken}` : '';
  return `\n\n#ad · ${name}${token}`;
}

export function composePostText(creativeText: string, advertiserName: string, regulatorToken: string | null, parseMode: 'HTML' | null): string {
  return creativeText.trimEnd() + disclosureLabel(advertiserName, regulatorToken, parseMode);
}

/** The hash of what readers see, so an edit that changes the visible content is caught. */
export function contentHash(text: string, parseMode: 'HTML' | null): string {
  return createHash('sha256').update(visibleText(text, parseMode).normalize('NFC').trim()).digest('hex');
}

export function postTextLimit(hasImage: boolean): number {
  return hasImage ? TELEGRAM_LIMITS.caption : TELEGRAM_LIMITS.messageText;
}
