import { optionalInteger, optionalString, Params } from './params';
import { invalidRequest, parameterInvalid } from './stripe-error';

export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

interface Listable {
  id: string;
  created: number;
}

/** Applies `created` (an integer or `{gt, gte, lt, lte}`) to a unix timestamp. */
export function matchesCreated(params: Params, created: number): boolean {
  const filter = params['created'];
  if (filter === undefined) return true;
  if (typeof filter === 'string') return created === (optionalInteger(params, 'created') as number);
  if (typeof filter !== 'object' || filter === null) throw parameterInvalid('created', 'Invalid created filter.');
  const range = filter as Params;
  const gt = optionalInteger(range, 'gt', 'created[gt]');
  const gte = optionalInteger(range, 'gte', 'created[gte]');
  const lt = optionalInteger(range, 'lt', 'created[lt]');
  const lte = optionalInteger(range, 'lte', 'created[lte]');
  return (gt === undefined || created > gt) && (gte === undefined || created >= gte)
    && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
}

/**
 * Stripe's cursor pagination: newest first, `limit` 1–100 (default 10), `starting_after` /
 * `ending_before` take an object id from the previous page.
 * @param items in creation order (oldest first)
 */
export function paginate<T extends Listable>(
  items: readonly T[],
  params: Params,
  url: string,
  objectName: string,
  filter: (item: T) => boolean = () => true,
): StripeList<T> {
  const limit = optionalInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw parameterInvalid('limit', 'Invalid integer: limit must be between 1 and 100.', 'parameter_invalid_integer');
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');

  // Newest first; objects created in the same second keep reverse creation order.
  const ordered = [...items].reverse().sort((a, b) => b.created - a.created)
    .filter((item) => matchesCreated(params, item.created) && filter(item));

  const cursorIndex = (id: string, param: string): number => {
    const index = ordered.findIndex((item) => item.id === id);
    if (index === -1) throw invalidRequest(`No such ${objectName}: '${id}'`, { code: 'resource_missing', param, saveForIdempotency: false });
    return index;
  };

  if (endingBefore !== undefined) {
    const end = cursorIndex(endingBefore, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: ordered.slice(start, end), has_more: start > 0, url };
  }
  const start = startingAfter !== undefined ? cursorIndex(startingAfter, 'starting_after') + 1 : 0;
  const data = ordered.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < ordered.length, url };
}
