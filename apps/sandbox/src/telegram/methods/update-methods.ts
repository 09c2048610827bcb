import { badRequest } from '../bot-api-error';
import type { BotApiMethod } from './method-context';
import { WithDescription } from './method-context';

export const getUpdates: BotApiMethod = ({ delivery, bot, params, clientGone }) =>
  delivery.getUpdates(
    bot,
    {
      offset: params.integer('offset'),
      limit: params.integer('limit'),
      timeoutSeconds: params.integer('timeout'),
      allowedUpdates: params.json<string[]>('allowed_updates', 'allowed_updates JSON object'),
    },
    clientGone,
  );

/**
 * Unlike Telegram, plain http and any port are accepted: the sandbox delivers to local test servers.
 * Everything else follows the docs: an empty url removes the webhook; secret_token is 1-256 of A-Z a-z 0-9 _ -.
 */
export const setWebhook: BotApiMethod = ({ delivery, bot, params }) => {
  const url = params.string('url') ?? '';
  const dropPending = params.boolean('drop_pending_updates');
  if (url === '') {
    const hadWebhook = delivery.deleteWebhook(bot, dropPending);
    return new WithDescription(true, hadWebhook ? 'Webhook was deleted' : 'Webhook is already deleted');
  }
  if (!/^https?:\/\/[^\s/]+/i.test(url)) throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  const secretToken = params.string('secret_token');
  if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
    throw badRequest('bad webhook: Secret token contains unallowed characters');
  }
  const maxConnections = params.integer('max_connections') ?? 40;
  delivery.setWebhook(
    bot,
    { url, secretToken, maxConnections },
    dropPending,
    params.json<string[]>('allowed_updates', 'allowed_updates JSON object'),
  );
  return new WithDescription(true, 'Webhook was set');
};

export const deleteWebhook: BotApiMethod = ({ delivery, bot, params }) => {
  const hadWebhook = delivery.deleteWebhook(bot, params.boolean('drop_pending_updates'));
  return new WithDescription(true, hadWebhook ? 'Webhook was deleted' : 'Webhook is already deleted');
};

export const getWebhookInfo: BotApiMethod = ({ bot }) => {
  const { webhook, pending, allowedUpdates } = bot.updates;
  return {
    url: webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: pending.length,
    ...(webhook?.lastErrorDate ? { last_error_date: webhook.lastErrorDate, last_error_message: webhook.lastErrorMessage } : {}),
    ...(webhook ? { max_connections: webhook.maxConnections } : {}),
    ...(allowedUpdates?.length ? { allowed_updates: allowedUpdates } : {}),
  };
};
