import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';

/** Opaque keyset cursors: base64url of a JSON tuple of the sort keys of the last row returned. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorCode.ValidationFailed, 'cursor is not valid.', { field: 'cursor' });
}
