import { describe, expect, it } from 'vitest';
import { toChannelContent } from './channel-content';
import { webhookSecretMatches } from './webhook-secret';

const SIGNATURE = 'Marguerite Oyelaran-Fitzwilliam';

/** A channel post carrying every person-level field Telegram might attach. */
function updateWithPeople(kind: 'channel_post' | 'edited_channel_post') {
  const person = { id: 987654321, is_bot: false, first_name: 'Marguerite', last_name: 'Oyelaran-Fitzwilliam', username: 'marguerite_of' };
  return {
    update_id: 10,
    [kind]: {
      message_id: 77,
      date: 1_700_000_000,
      ...(kind === 'edited_channel_post' ? { edit_date: 1_700_000_600 } : {}),
      chat: { id: -1001234567890, type: 'channel', title: 'News', username: 'news' },
      sender_chat: { id: -1001234567890, type: 'channel', title: 'News' },
      from: person,
      via_bot: { id: 5, is_bot: true, first_name: 'Helper', username: 'helper_bot' },
      author_signature: SIGNATURE,
      forward_origin: { type: 'user', sender_user: person, date: 1_699_999_999 },
      sender_boost_count: 3,
      text: 'Hello Marguerite, see https://x.example',
      entities: [
        { type: 'bold', offset: 0, length: 5 },
        { type: 'text_mention', offset: 6, length: 9, user: person },
        { type: 'text_link', offset: 16, length: 3, url: 'https://x.example' },
      ],
    },
  };
}

describe('toChannelContent', () => {
  it('keeps only chat, message, dates, text and formatting', () => {
    const content = toChannelContent(updateWithPeople('channel_post'));
    expect(content).toEqual({
      kind: 'post',
      chatId: '-1001234567890',
      messageId: 77,
      date: new Date(1_700_000_000_000),
      editDate: null,
      text: 'Hello Marguerite, see https://x.example',
      entities: [
        { type: 'bold', offset: 0, length: 5 },
        { type: 'text_link', offset: 16, length: 3, url: 'https://x.example' },
      ],
    });
    const json = JSON.stringify(content);
    for (const trace of [SIGNATURE, 'Oyelaran', '987654321', 'marguerite_of', 'helper_bot', 'sender']) expect(json).not.toContain(trace);
  });

  it('marks edits and keeps their edit date', () => {
    expect(toChannelContent(updateWithPeople('edited_channel_post'))).toMatchObject({ kind: 'edit', editDate: new Date(1_700_000_600_000) });
  });

  it('reads captions of media posts', () => {
    const update = { update_id: 1, channel_post: { message_id: 1, date: 1, chat: { id: -1001, type: 'channel' }, photo: [], caption: 'Pic', caption_entities: [{ type: 'italic', offset: 0, length: 3 }] } };
    expect(toChannelContent(update)).toMatchObject({ text: 'Pic', entities: [{ type: 'italic', offset: 0, length: 3 }] });
  });

  it('ignores a post whose message id or date is not what the Bot API sends', () => {
    const post = (fields: Record<string, unknown>) => ({ update_id: 1, channel_post: { message_id: 7, date: 1_717_243_200, chat: { id: -1001, type: 'channel' }, text: 'hi', ...fields } });
    expect(toChannelContent(post({}))).not.toBeNull();
    for (const bad of [{ message_id: 1.5 }, { message_id: 0 }, { message_id: 2 ** 31 }, { message_id: '7' }, { date: 1.5 }, { date: -1 }, { date: 1e15 }, { date: null }]) {
      expect(toChannelContent(post(bad)), JSON.stringify(bad)).toBeNull();
    }
    expect(toChannelContent(post({ edit_date: 1.5 }))!.editDate).toBeNull();
  });

  it('ignores everything that is not a channel post', () => {
    expect(toChannelContent({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 5, type: 'private' }, text: 'hi' } })).toBeNull();
    expect(toChannelContent(null)).toBeNull();
    expect(toChannelContent({ update_id: 1, channel_post: { message_id: 'x' } })).toBeNull();
  });
});

describe('webhookSecretMatches', () => {
  it('accepts only the exact secret', () => {
    expect(webhookSecretMatches('s3cret', 's3cret')).toBe(true);
    expect(webhookSecretMatches('s3cre', 's3cret')).toBe(false);
    expect(webhookSecretMatches(undefined, 's3cret')).toBe(false);
    expect(webhookSecretMatches(['s3cret'], 's3cret')).toBe(false);
    expect(webhookSecretMatches('', '')).toBe(false);
  });
});
