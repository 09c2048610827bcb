/*
 * The booking's statements, kept apart from the service so that the benchmark's raw baseline can run
 * exactly the same SQL without the framework.
 */

/** The creative (of this advertiser) and the channel with its price for the format; a side is all NULL when missing. */
export const BOOKING_FACTS_SQL = `
  SELECT cr.id AS creative_id, cr.campaign_id, cr.text, cr.parse_mode, cr.buttons, cr.image_url,
         cr.topics, cr.excluded_topics, cr.regulator_token, cr.advertiser_name,
         ch.id AS channel_id, ch.owner_id, ch.status, ch.status_reason, ch.price_minor, ch.currency, ch.top_minutes, ch.feed_minutes, ch.offered
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT cr.id, cr.campaign_id, cr.text, cr.parse_mode, cr.buttons, cr.image_url,
             ca.topics, ca.excluded_topics, ca.regulator_token, a.name AS advertiser_name
        FROM creatives cr JOIN campaigns ca ON ca.id = cr.campaign_id JOIN accounts a ON a.id = cr.advertiser_id
       WHERE cr.id = $1 AND cr.advertiser_id = $2) AS cr ON true
    LEFT JOIN LATERAL (
      SELECT c.id, c.owner_id, c.status, c.status_reason, p.price_minor, p.currency, f.top_minutes, f.feed_minutes,
             ARRAY(SELECT format FROM channel_prices WHERE channel_id = c.id ORDER BY format) AS offered
        FROM channels c
        LEFT JOIN channel_prices p ON p.channel_id = c.id AND p.format = $4
        LEFT JOIN formats f ON f.code = p.format
       WHERE c.id = $3) AS ch ON true`;

/**
 * The offer's CTEs: the placement, its first history row and its expiry job in the outbox; the
 * booking appends the escrow entry's CTEs and selects OFFER_SELECT. Every column of the placement is
 * written here (the entity's defaults are set in code), so the entity built before it is the row as
 * stored.
 */
export const INSERT_OFFER_SQL = `
  WITH placement AS (
    INSERT INTO placements (id, advertiser_id, owner_id, channel_id, campaign_id, creative_id, format, starts_at, top_ends_at, ends_at,
                            offer_expires_at, price_minor, fee_minor, currency, status, status_reason, post_text, post_parse_mode,
                            post_buttons, post_image_url, content_hash, booked_topics, excluded_topics, send_state, send_started_at,
                            message_id, published_at, checkpoints)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'offered', NULL, $15, $16, $17, $18, $19, $20, $21, 'none', NULL,
            NULL, NULL, '[]')
    RETURNING id, created_at, updated_at
  ), event AS (
    INSERT INTO placement_events (placement_id, from_status, to_status, reason, actor)
    SELECT id, NULL, 'offered', NULL, 'advertiser' FROM placement
    RETURNING id, at
  ), job AS (
    INSERT INTO outbox (job_name, job_id, payload, run_at) SELECT $22, $23, $24, $25 FROM placement
  )`;
export const OFFER_PARAMS = 25;
export const OFFER_SELECT = `(SELECT created_at FROM placement) AS created_at, (SELECT updated_at FROM placement) AS updated_at,
  (SELECT id FROM event) AS event_id, (SELECT at FROM event) AS event_at`;
