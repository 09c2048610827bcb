import type { FastifyInstance } from 'fastify';
import type { FaultSpec } from './faults';
import type { RateLimitSettings } from './rate-limits';
import type { AdminRights } from './sandbox-model';
import { SandboxControlError, type ChannelSettings, type HumanPost, type TelegramSandbox } from './telegram-sandbox';

type ChatParams = { chat: string };
type MessageParams = { chat: string; messageId: string };
type AdminParams = { chat: string; memberId: string };

/**
 * The control API over HTTP (JSON), one route per in-process control method, for the demo and
 * for poking at the sandbox by hand. `:chat` is a channel id or its @username.
 */
export function registerControlRoutes(scope: FastifyInstance, sandbox: TelegramSandbox): void {
  scope.setErrorHandler((error, _request, reply) => {
    if (error instanceof SandboxControlError) {
      return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const code = status < 500 ? 'bad_request' : 'internal_error';
    return reply.status(status).send({ error: { code, message: (error as Error).message } });
  });

  scope.post<{ Body: { username?: string; firstName?: string } }>('/bots', async (request, reply) =>
    reply.status(201).send(sandbox.createBot(request.body ?? {})),
  );
  scope.post<{ Body: { firstName?: string; lastName?: string; username?: string } }>('/users', async (request, reply) =>
    reply.status(201).send(sandbox.createUser(request.body ?? {})),
  );
  scope.post<{ Body: ChannelSettings }>('/channels', async (request, reply) =>
    reply.status(201).send(sandbox.createChannel(request.body ?? ({} as ChannelSettings))),
  );
  scope.get<{ Params: ChatParams }>('/channels/:chat', async (request) => sandbox.getChannel(request.params.chat));
  scope.patch<{ Params: ChatParams; Body: Partial<ChannelSettings> }>('/channels/:chat', async (request) =>
    sandbox.updateChannel(request.params.chat, request.body ?? {}),
  );
  scope.put<{ Params: AdminParams; Body: Partial<AdminRights> }>('/channels/:chat/admins/:memberId', async (request) =>
    sandbox.setAdmin(request.params.chat, Number(request.params.memberId), request.body ?? {}),
  );
  scope.delete<{ Params: AdminParams }>('/channels/:chat/admins/:memberId', async (request) =>
    sandbox.removeAdmin(request.params.chat, Number(request.params.memberId)),
  );
  scope.get<{ Params: ChatParams }>('/channels/:chat/messages', async (request) => ({
    messages: sandbox.listMessages(request.params.chat),
  }));
  scope.post<{ Params: ChatParams; Body: HumanPost & { userId: number } }>('/channels/:chat/messages', async (request, reply) => {
    const { userId, ...post } = request.body ?? ({} as HumanPost & { userId: number });
    return reply.status(201).send(sandbox.postAsAdmin(request.params.chat, userId, post));
  });
  scope.patch<{ Params: MessageParams; Body: HumanPost & { userId?: number } }>('/channels/:chat/messages/:messageId', async (request) => {
    const { userId, ...edit } = request.body ?? ({} as HumanPost);
    return sandbox.editAsAdmin(request.params.chat, Number(request.params.messageId), edit, userId);
  });
  scope.delete<{ Params: MessageParams }>('/channels/:chat/messages/:messageId', async (request, reply) => {
    sandbox.deleteAsAdmin(request.params.chat, Number(request.params.messageId));
    return reply.status(204).send();
  });
  scope.post<{ Body: FaultSpec }>('/faults', async (request, reply) => {
    sandbox.injectFault(request.body);
    return reply.status(204).send();
  });
  scope.put<{ Body: Partial<RateLimitSettings> }>('/limits', async (request) => sandbox.setRateLimits(request.body ?? {}));
  scope.post('/reset', async (_request, reply) => {
    sandbox.reset();
    return reply.status(204).send();
  });
}
