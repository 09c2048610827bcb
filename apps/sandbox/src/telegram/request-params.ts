import { badRequest, Errors } from './bot-api-error';

/** An uploaded file from a multipart request; the sandbox keeps only that it exists. */
export interface UploadedFile {
  uploadedFileName: string;
  size: number;
}

/**
 * Parameters of one Bot API call, whichever way they came (query string, JSON, form, multipart).
 * In the non-JSON ways every value is a string and objects are JSON-serialized, so readers coerce.
 */
export class RequestParams {
  constructor(private readonly values: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== null;
  }

  raw(name: string): unknown {
    const value = this.values[name];
    // multipart's attach://<name> refers to another part of the same request
    if (typeof value === 'string' && value.startsWith('attach://')) return this.values[value.slice('attach://'.length)];
    return value;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  integer(name: string): number | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : Number(String(value).trim());
    return Number.isInteger(number) ? number : undefined;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  /** An object or array parameter, given as JSON or (outside JSON bodies) a JSON string. */
  json<T>(name: string, whatCannotBeParsed: string): T | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw badRequest(`can't parse ${whatCannotBeParsed}`);
    }
  }

  /** chat_id and friends: an integer id or "@username". */
  chatReference(name = 'chat_id'): number | string {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') {
      if (name === 'chat_id') throw Errors.chatIdEmpty();
      throw badRequest(`${name} is empty`);
    }
    if (typeof value === 'number') return value;
    const text = String(value).trim();
    return /^-?\d+$/.test(text) ? Number(text) : text;
  }

  messageId(name = 'message_id'): number {
    const id = this.integer(name);
    if (id === undefined || id <= 0) throw Errors.messageIdMissing();
    return id;
  }
}
