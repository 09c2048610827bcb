import { describe, expect, it } from 'vitest';
import { codeForBotApiError } from './error-descriptions';

describe('codeForBotApiError', () => {
  it.each([
    [400, 'Bad Request: chat not found', 'chat_not_found'],
    [403, 'Forbidden: bot is not a member of the channel chat', 'bot_not_member'],
    [400, 'Bad Request: need administrator rights in the channel chat', 'not_enough_rights'],
    [400, 'Bad Request: member list is inaccessible', 'not_enough_rights'],
    [400, 'Bad Request: message to copy not found', 'message_not_found'],
    [400, 'Bad Request: message to delete not found', 'message_not_found'],
    [400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same', 'message_not_modified'],
    [400, 'Bad Request: message is too long', 'message_too_long'],
    [400, 'Bad Request: message text is empty', 'bad_request'],
    [401, 'Unauthorized', 'unauthorized'],
    [409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running', 'conflict'],
    [429, 'Too Many Requests: retry after 5', 'rate_limited'],
    [500, 'Internal Server Error', 'server_error'],
    [403, 'Forbidden: something new', 'forbidden'],
  ])('%i %s → %s', (status, description, code) => {
    expect(codeForBotApiError(status, description)).toBe(code);
  });
});
