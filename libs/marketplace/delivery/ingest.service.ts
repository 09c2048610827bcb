import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChannelContent } from '#libs/platforms';

/**
 * Stores channel posts as channel content for profiles and delivery checks. Input is already
 * reduced to content by the adapter (no author signature, no user); only the fields below are kept.
 * Returns the ids of the channels whose content changed, so their profiles can be recomputed.
 */
@Injectable()
export class IngestService {
  constructor(private readonly dataSource: DataSource) {}

  async store(contents: ChannelContent[]): Promise<string[]> {
    const touched = new Set<string>();
    for (const content of contents) {
      const channels: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM channels WHERE platform = 'telegram' AND chat_id = $1 AND status <> 'pending'`,
        [content.chatId],
      );
      for (const channel of channels) {
        await this.dataSource.query(
          `INSERT INTO channel_posts (channel_id, message_id, posted_at, edited_at, text, entities)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (channel_id, message_id) DO UPDATE
             SET text = EXCLUDED.text, entities = EXCLUDED.entities, edited_at = EXCLUDED.edited_at
           WHERE EXCLUDED.edited_at IS NOT NULL
             AND (channel_posts.edited_at IS NULL OR channel_posts.edited_at <= EXCLUDED.edited_at)`,
          [channel.id, content.messageId, content.date, content.editDate, content.text, JSON.stringify(content.entities)],
        );
        touched.add(channel.id);
      }
    }
    return [...touched];
  }

  /** Drops stored posts older than the retention period. */
  async prune(retentionDays: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM channel_posts WHERE posted_at < now() - make_interval(days => $1)`,
      [retentionDays],
    );
    return result[1];
  }
}
