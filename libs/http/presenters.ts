import type {
  AccountEntity,
  ApiKeyEntity,
  CampaignEntity,
  ChannelPriceEntity,
  ChannelWithPricing,
  CreativeEntity,
  PlacementView,
  TopUpView,
} from '#libs/marketplace';

/** Entities as CONTRACT.md shows them: camelCase, ISO dates, integer minor units. */
export const present = {
  account: (account: AccountEntity) => ({ id: account.id, kind: account.kind, email: account.email, name: account.name, createdAt: account.createdAt.toISOString() }),

  apiKey: (key: ApiKeyEntity) => ({
    id: key.id,
    prefix: key.displayPrefix,
    label: key.label,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  }),

  pricing: (prices: ChannelPriceEntity[]) => prices.map((price) => ({ format: price.format, priceMinor: price.priceMinor, currency: price.currency })),

  ownedChannel: ({ channel, pricing }: ChannelWithPricing) => ({
    id: channel.id,
    platform: channel.platform,
    handle: channel.handle,
    status: channel.status,
    statusReason: channel.statusReason,
    chatId: channel.chatId,
    title: channel.title,
    username: channel.username,
    language: channel.language,
    subscribers: channel.subscribers,
    verificationCode: channel.status === 'pending' ? channel.verificationCode : undefined,
    verifiedAt: channel.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: channel.lastCheckedAt?.toISOString() ?? null,
    topics: channel.topicProfile?.topics ?? [],
    brandSafety: channel.topicProfile?.brandSafety ?? [],
    pricing: present.pricing(pricing),
  }),

  campaign: (campaign: CampaignEntity) => ({
    id: campaign.id,
    name: campaign.name,
    topics: campaign.topics,
    languages: campaign.languages,
    excludedTopics: campaign.excludedTopics,
    regulatorToken: campaign.regulatorToken,
    createdAt: campaign.createdAt.toISOString(),
  }),

  creative: (creative: CreativeEntity) => ({
    id: creative.id,
    campaignId: creative.campaignId,
    text: creative.text,
    parseMode: creative.parseMode,
    buttons: creative.buttons,
    imageUrl: creative.imageUrl,
    createdAt: creative.createdAt.toISOString(),
  }),

  placement: ({ placement, history, checks }: PlacementView) => ({
    id: placement.id,
    status: placement.status,
    statusReason: placement.statusReason,
    channelId: placement.channelId,
    campaignId: placement.campaignId,
    creativeId: placement.creativeId,
    format: placement.format,
    startsAt: placement.startsAt.toISOString(),
    topEndsAt: placement.topEndsAt.toISOString(),
    endsAt: placement.endsAt.toISOString(),
    offerExpiresAt: placement.offerExpiresAt.toISOString(),
    priceMinor: placement.priceMinor,
    feeMinor: placement.feeMinor,
    currency: placement.currency,
    post: { text: placement.postText, parseMode: placement.postParseMode, buttons: placement.postButtons, imageUrl: placement.postImageUrl },
    delivery:
      placement.messageId === null
        ? null
        : {
            messageId: placement.messageId,
            publishedAt: placement.publishedAt?.toISOString() ?? null,
            contentHash: placement.contentHash,
            checks: checks.map((check) => ({
              at: check.at.toISOString(),
              checkpoint: check.checkpoint,
              kind: check.kind,
              passed: check.verdict === 'passed' ? true : check.verdict === 'failed' ? false : null,
              verdict: check.verdict,
              detail: check.detail,
              data: check.data,
            })),
          },
    history: history.map((event) => ({ status: event.toStatus, at: event.at.toISOString(), reason: event.reason, actor: event.actor })),
    createdAt: placement.createdAt.toISOString(),
  }),

  topUp: ({ topUp, clientSecret, checkoutUrl }: TopUpView) => ({
    id: topUp.id,
    status: topUp.status,
    amountMinor: topUp.amountMinor,
    currency: topUp.currency,
    provider: topUp.provider,
    clientSecret,
    checkoutUrl,
    createdAt: topUp.createdAt.toISOString(),
  }),
};
