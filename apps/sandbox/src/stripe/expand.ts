/**
 * `expand[]=payment_intent`, `expand[]=data.source`, `expand[]=latest_charge.balance_transaction`:
 * replaces an id string by the object it names (a copy), following dotted paths and list `data`.
 */
export function expandPaths(value: unknown, paths: readonly string[], lookup: (id: string) => unknown): unknown {
  for (const path of paths) expandPath(value, path.split('.'), lookup);
  return value;
}

function expandPath(value: unknown, segments: string[], lookup: (id: string) => unknown): void {
  if (segments.length === 0 || typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  const [head, ...rest] = segments;
  if (head === 'data' && Array.isArray(record['data'])) {
    for (const item of record['data']) expandPath(item, rest, lookup);
    return;
  }
  let field = record[head];
  if (typeof field === 'string') {
    const found = lookup(field);
    if (found !== undefined) {
      field = structuredClone(found);
      record[head] = field;
    }
  }
  expandPath(field, rest, lookup);
}
