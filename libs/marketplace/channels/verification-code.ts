import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: the owner types it by hand

export function newVerificationCode(): string {
  const bytes = randomBytes(10);
  let code = 'placard-';
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return code;
}

export function normaliseHandle(handle: string): { handle: string; chatRef: string } | null {
  const trimmed = handle.trim();
  if (/^-?\d{5,20}$/.test(trimmed)) return { handle: trimmed, chatRef: trimmed };
  const match = /^(?:https?:\/\/)?(?:t\.me\/|@)?([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(trimmed);
  if (!match) return null;
  return { handle: `@${match[1]}`, chatRef: `@${match[1]}` };
}
