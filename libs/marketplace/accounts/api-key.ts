import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AccountKind } from './account.entities';

/** Keys say which audience they are for, so a leaked key is recognisable and misuse is obvious. */
export const API_KEY_PREFIX: Record<AccountKind, string> = {
  advertiser: 'plc_adv_',
  owner: 'plc_own_',
  operator: 'plc_opr_',
};

export function generateApiKey(kind: AccountKind): string {
  return API_KEY_PREFIX[kind] + randomBytes(24).toString('base64url');
}

/** The keys carry 192 random bits, so one SHA-256 is enough; no slow hash is needed for them. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function kindOfKey(key: string): AccountKind | null {
  for (const [kind, prefix] of Object.entries(API_KEY_PREFIX) as [AccountKind, string][]) {
    if (key.startsWith(prefix)) return kind;
  }
  return null;
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
