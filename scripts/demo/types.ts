/** The parts of the public JSON (CONTRACT.md) the demo reads. */

export interface Party {
  name: string;
  apiKey: string;
}

export interface Check {
  at: string;
  checkpoint: number;
  kind: string;
  passed: boolean | null;
  verdict: string;
  detail: string;
}

export interface Placement {
  id: string;
  status: string;
  statusReason: string | null;
  format: string;
  startsAt: string;
  topEndsAt: string;
  endsAt: string;
  priceMinor: number;
  feeMinor: number;
  currency: string;
  post: { text: string };
  delivery: { messageId: number; publishedAt: string | null; contentHash: string; checks: Check[] } | null;
  history: { status: string; at: string; reason: string | null; actor: string }[];
}

export interface AdvertiserBalance {
  currency: string;
  availableMinor: number;
  reservedMinor: number;
}

export interface OwnerEarnings {
  currency: string;
  availableMinor: number;
  pendingMinor: number;
}

export interface SandboxMessage {
  message_id: number;
  date: number;
  text?: string;
  caption?: string;
  reply_markup?: { inline_keyboard: { text: string; url?: string }[][] };
}

/** A sandbox channel onboarded and verified through the channel API. */
export interface DemoChannel {
  id: string;
  chatId: number;
  username: string;
  adminUserId: number;
}
