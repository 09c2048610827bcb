import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';

/** Opaque keyset cursors: base64url of a JSON tuple of the sort keys of the last row returned. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export type CursorPart = 'number' | 'uuid' | 'time';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isPart: Record<CursorPart, (value: unknown) => boolean> = {
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  time: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
};

/** Decodes a cursor whose parts must have the given types; anything else is a 400, never a 500. */
export function decodeCursor(cursor: string | undefined, parts: CursorPart[]): unknown[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === parts.length && parts.every((part, i) => isPart[part](values[i]))) return values;
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorCode.ValidationFailed, 'cursor is not valid.', { field: 'cursor' });
}
