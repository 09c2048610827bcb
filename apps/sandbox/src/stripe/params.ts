import { parameterInvalid, parameterMissing } from './stripe-error';

/** Request parameters as decoded from Stripe's bracketed form encoding (`metadata[k]=v`, `expand[]=x`). */
export type Params = Record<string, unknown>;

export function optionalString(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw parameterInvalid(label, `Invalid string: ${label} must be a string.`);
  return value;
}

export function requiredString(params: Params, name: string, label = name): string {
  const value = optionalString(params, name, label);
  if (value === undefined || value === '') throw parameterMissing(label);
  return value;
}

export function optionalInteger(params: Params, name: string, label = name): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw parameterInvalid(label, `Invalid integer: ${typeof value === 'string' ? value : label}`, 'parameter_invalid_integer');
  }
  return Number(value);
}

export function requiredInteger(params: Params, name: string, label = name): number {
  const value = optionalInteger(params, name, label);
  if (value === undefined) throw parameterMissing(label);
  return value;
}

export function optionalBoolean(params: Params, name: string, label = name): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw parameterInvalid(label, `Invalid boolean: ${typeof value === 'string' ? value : label}`, 'parameter_invalid_boolean');
}

export function optionalObject(params: Params, name: string, label = name): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw parameterInvalid(label, `Invalid object: ${label} must be a hash.`, 'parameter_invalid_object');
  }
  return value as Params;
}

export function optionalArray(params: Params, name: string, label = name): unknown[] | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value;
  // qs decodes `line_items[0][…]` into an array, but indexes past its arrayLimit into an object.
  if (typeof value === 'object' && value !== null) return Object.values(value);
  throw parameterInvalid(label, `Invalid array: ${label} must be an array.`, 'parameter_invalid_array');
}

/** `currency` is a three-letter ISO code, lowercased as Stripe returns it. */
export function requiredCurrency(params: Params, name = 'currency', label = name): string {
  const currency = requiredString(params, name, label).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) {
    throw parameterInvalid(label, `Invalid currency: ${currency}. Stripe currently supports three-letter ISO currency codes.`);
  }
  return currency;
}

/** Stripe metadata: up to 50 keys, keys up to 40 characters, values up to 500 characters. */
export function metadataParam(params: Params, name = 'metadata', label = name): Record<string, string> {
  const value = optionalObject(params, name, label);
  if (!value) return {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw parameterInvalid(label, 'Metadata can have at most 50 keys.', 'parameter_invalid_object');
  const metadata: Record<string, string> = {};
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string') throw parameterInvalid(`${label}[${key}]`, `Invalid string: metadata values must be strings.`);
    if (key.length > 40) throw parameterInvalid(`${label}[${key}]`, 'Metadata keys can be at most 40 characters long.');
    if (entry.length > 500) throw parameterInvalid(`${label}[${key}]`, 'Metadata values can be at most 500 characters long.');
    if (entry !== '') metadata[key] = entry;
  }
  return metadata;
}

export function expandParam(params: Params): string[] {
  const value = params['expand'];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [value];
  return list.filter((entry): entry is string => typeof entry === 'string');
}
