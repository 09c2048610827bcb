import { advertiserApi, channelApi, FORMAT, LEAD_TIME_MS, telegramControl } from './config';
import { DemoError } from './http';
import { money, quote, say } from './narrate';
import type { Check, DemoChannel, Placement, Party, SandboxMessage } from './types';
import { waitFor } from './wait';

export interface Deal {
  advertiser: Party;
  owner: Party;
  channel: DemoChannel;
  creativeId: string;
}

const getPlacement = (deal: Deal, id: string) => advertiserApi(deal.advertiser.apiKey).get<Placement>(`/v1/placements/${id}`);

/** Books the next slot (a few seconds ahead, so the owner can accept first). */
export async function bookNextSlot(deal: Deal): Promise<Placement> {
  const startsAt = new Date(Math.ceil((Date.now() + LEAD_TIME_MS) / 1000) * 1000);
  const placement = await advertiserApi(deal.advertiser.apiKey).post<Placement>('/v1/placements', {
    channelId: deal.channel.id,
    creativeId: deal.creativeId,
    format: FORMAT,
    startsAt: startsAt.toISOString(),
  });
  say(`placement ${placement.id}: ${placement.status}, format ${placement.format}, ${money(placement.priceMinor, placement.currency)} moved into escrow`);
  say(`starts ${placement.startsAt}, top until ${placement.topEndsAt}, kept until ${placement.endsAt}`);
  return placement;
}

/** The owner finds the offer, reads the exact text that will be posted, and accepts it. */
export async function ownerAccepts(deal: Deal, placementId: string): Promise<void> {
  const owner = channelApi(deal.owner.apiKey);
  const offers = await owner.get<{ items: Placement[] }>('/v1/offers?status=offered');
  const offer = offers.items.find((item) => item.id === placementId);
  if (!offer) throw new DemoError(`the owner does not see offer ${placementId} in GET /v1/offers?status=offered`);
  say(`offer ${offer.id} for @${deal.channel.username}: ${money(offer.priceMinor, offer.currency)}, platform fee ${money(offer.feeMinor, offer.currency)}; the exact post:`);
  quote(offer.post.text);
  const accepted = await owner.post<Placement>(`/v1/offers/${placementId}/accept`);
  say(`the owner accepts: status ${accepted.status}`);
}

/** Waits for the worker to publish at startsAt, then shows the post as the channel shows it. */
export async function waitForPublication(deal: Deal, placement: Placement): Promise<Placement> {
  let last = placement.status;
  const secondsToStart = Math.max(0, Math.round((Date.parse(placement.startsAt) - Date.now()) / 1000));
  say(`waiting for the start time (${placement.startsAt}, in ${secondsToStart} s)…`);
  const published = await waitFor(
    `placement ${placement.id} to be published (it starts at ${placement.startsAt})`,
    async () => {
      const current = await getPlacement(deal, placement.id);
      last = current.status;
      if (current.status === 'scheduled') return undefined;
      if (current.delivery === null) throw new DemoError(`placement ${placement.id} went to ${current.status} without being published: ${current.statusReason}`);
      return current;
    },
    { timeoutMs: Date.parse(placement.startsAt) - Date.now() + 60_000, lastSeen: () => last },
  );
  const delivery = published.delivery!;
  say(`the worker posted it at ${delivery.publishedAt}: message ${delivery.messageId}, content hash ${delivery.contentHash.slice(0, 16)}…`);
  const { messages } = await telegramControl().get<{ messages: SandboxMessage[] }>(`/channels/${deal.channel.chatId}/messages`);
  const post = messages.find((message) => message.message_id === delivery.messageId);
  if (!post) throw new DemoError(`message ${delivery.messageId} is not in the channel's message list`);
  say(`the channel now shows (sandbox message list, newest last, ${messages.length} messages):`);
  for (const message of messages.slice(-4)) {
    const marker = message.message_id === delivery.messageId ? '→' : ' ';
    const text = (message.text ?? message.caption ?? '').replace(/\n+/g, ' ⏎ ');
    say(`  ${marker} #${message.message_id} ${text}`);
  }
  const buttons = post.reply_markup?.inline_keyboard.flat().map((button) => `[${button.text} → ${button.url}]`) ?? [];
  if (buttons.length > 0) say(`    buttons under the post: ${buttons.join(' ')}`);
  return published;
}

const describeCheck = (check: Check) => `${check.passed === true ? 'pass' : check.passed === false ? 'FAIL' : 'n/a '} ${check.kind.padEnd(11)} ${check.detail}`;

/**
 * Follows the placement until it is settled, printing each check as the worker stores it.
 * Gives up a generous while after the format's end.
 */
export async function followUntilSettled(deal: Deal, placement: Placement): Promise<Placement> {
  const seen = new Set<string>();
  let last = placement.status;
  const endsAt = Date.parse(placement.endsAt);
  const formatMs = endsAt - Date.parse(placement.startsAt);
  const secondsLeft = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
  say(`the format ends at ${placement.endsAt} (in ${secondsLeft} s); the worker checks at random checkpoints and at the end`);
  return waitFor(
    `placement ${placement.id} to be settled (completed or failed)`,
    async () => {
      const current = await getPlacement(deal, placement.id);
      last = current.status;
      for (const check of current.delivery?.checks ?? []) {
        const key = `${check.checkpoint}:${check.kind}`;
        if (seen.has(key)) continue;
        seen.add(key);
        say(`check ${check.checkpoint} at ${check.at.slice(11, 23)}: ${describeCheck(check)}`);
      }
      return ['completed', 'failed', 'needs_review', 'cancelled'].includes(current.status) ? current : undefined;
    },
    { timeoutMs: endsAt - Date.now() + Math.max(60_000, formatMs / 2), intervalMs: 1000, lastSeen: () => last },
  );
}

export function printHistory(placement: Placement): void {
  for (const event of placement.history) say(`history: ${event.at} ${event.status.padEnd(9)} by ${event.actor}${event.reason ? ` (${event.reason})` : ''}`);
}

/** The channel's human admin deletes the ad before the end of the format. */
export async function adminDeletesPost(deal: Deal, placement: Placement): Promise<void> {
  const messageId = placement.delivery!.messageId;
  await telegramControl().delete(`/channels/${deal.channel.chatId}/messages/${messageId}`);
  const { messages } = await telegramControl().get<{ messages: SandboxMessage[] }>(`/channels/${deal.channel.chatId}/messages`);
  const stillThere = messages.some((message) => message.message_id === messageId);
  say(`the admin deleted message ${messageId} (${stillThere ? 'still listed?!' : 'gone from the channel'}); Telegram sends bots no event for a deletion`);
}

