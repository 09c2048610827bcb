/**
 * The baselines for the booking benchmark, raw `pg` behind node:http with no framework, no auth, no
 * validation beyond JSON.parse. Run as a child process.
 * - POST /book: the same transaction shape as PlacementsService.book written the plain way (insert
 *   placement, journal entry, two account upserts, two guarded balance updates, two journal lines, a
 *   history row and an outbox row, one statement per round trip inside BEGIN/COMMIT).
 * - POST /book-same-sql: exactly the API's own two statements (booking-sql.ts and the ledger's
 *   entryStatement), so that what separates it from the API is the framework alone.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { entryStatement } from '../libs/ledger/entry-statement';
import { LedgerAccounts } from '../libs/ledger/ledger-accounts';
import { BOOKING_FACTS_SQL, INSERT_OFFER_SQL, OFFER_PARAMS, OFFER_SELECT } from '../libs/marketplace/placements/booking-sql';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
const port = Number(process.env.PORT ?? 0);
const SCALE = Number(process.env.TIME_SCALE ?? 1);

interface Body {
  channelId: string;
  campaignId: string;
  creativeId: string;
  format: string;
  startsAt: string;
}

async function book(advertiserId: string, body: Body): Promise<{ status: number; payload: unknown }> {
  const startsAt = new Date(body.startsAt);
  const { rows } = await pool.query(
    `SELECT c.owner_id, p.price_minor, p.currency, f.top_minutes, f.feed_minutes
       FROM channels c JOIN channel_prices p ON p.channel_id = c.id JOIN formats f ON f.code = p.format
      WHERE c.id = $1 AND p.format = $2 AND c.status = 'verified'`,
    [body.channelId, body.format],
  );
  if (rows.length === 0) return { status: 404, payload: { error: { code: 'not_found' } } };
  const { owner_id: ownerId, price_minor: price, currency, top_minutes: top, feed_minutes: feed } = rows[0];
  const topEndsAt = new Date(startsAt.getTime() + Math.max(1, Math.round(top * 60_000 * SCALE)));
  const endsAt = new Date(startsAt.getTime() + Math.max(1, Math.round(feed * 60_000 * SCALE)));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const placement = await client.query(
      `INSERT INTO placements (advertiser_id, owner_id, channel_id, campaign_id, creative_id, format, starts_at, top_ends_at, ends_at, offer_expires_at,
         price_minor, fee_minor, currency, status, post_text, content_hash, booked_topics, excluded_topics)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7, $10, $12, $11, 'offered', 'Try the Acme wallet #ad', 'hash', '{crypto}', '{}')
       RETURNING id, status, price_minor, currency, starts_at`,
      [advertiserId, ownerId, body.channelId, body.campaignId, body.creativeId, body.format, startsAt, topEndsAt, endsAt, price, currency, Math.floor(Number(price) / 10)],
    );
    const placementId = placement.rows[0].id;
    const entry = await client.query(`INSERT INTO journal_entries (kind, reference, description) VALUES ('placement_reserve', $1, 'escrow') RETURNING id`, [
      `placement:${placementId}:escrow-reserve`,
    ]);
    const lines = [
      { code: `advertiser_available:${advertiserId}:-:${currency}`, type: 'advertiser_available', holder: advertiserId, reference: null, amount: -price },
      { code: `escrow:${advertiserId}:${placementId}:${currency}`, type: 'escrow', holder: advertiserId, reference: placementId, amount: Number(price) },
    ].sort((a, b) => a.code.localeCompare(b.code));
    for (const line of lines) {
      await client.query(
        `INSERT INTO ledger_accounts (code, type, holder_id, reference, currency, non_negative, balance_minor) VALUES ($1, $2, $3, $4, $5, true, 0) ON CONFLICT (code) DO NOTHING`,
        [line.code, line.type, line.holder, line.reference, currency],
      );
      await client.query(`UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE code = $2`, [String(line.amount), line.code]);
      await client.query(`INSERT INTO journal_lines (entry_id, account_code, currency, amount_minor) VALUES ($1, $2, $3, $4)`, [
        entry.rows[0].id,
        line.code,
        currency,
        String(line.amount),
      ]);
    }
    await client.query(`INSERT INTO placement_events (placement_id, from_status, to_status, reason, actor) VALUES ($1, NULL, 'offered', NULL, 'advertiser')`, [placementId]);
    await client.query(`INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ('expire-offer', $1, $2, $3)`, [
      `placement.${placementId}.expire-offer`,
      JSON.stringify({ placementId }),
      startsAt,
    ]);
    await client.query('COMMIT');
    return { status: 201, payload: placement.rows[0] };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (code === '23P01') return { status: 409, payload: { error: { code: 'slot_taken' } } };
    if (code === '23514') return { status: 402, payload: { error: { code: 'insufficient_balance' } } };
    throw error;
  } finally {
    client.release();
  }
}

async function bookSameSql(advertiserId: string, body: Body): Promise<{ status: number; payload: unknown }> {
  const startsAt = new Date(body.startsAt);
  const { rows } = await pool.query({ name: 'booking_facts', text: BOOKING_FACTS_SQL, values: [body.creativeId, advertiserId, body.channelId, body.format] });
  const facts = rows[0];
  if (facts.creative_id === null || facts.channel_id === null || facts.status !== 'verified' || facts.price_minor === null) {
    return { status: 404, payload: { error: { code: 'not_found' } } };
  }
  const id = randomUUID();
  const price = Number(facts.price_minor);
  const topEndsAt = new Date(startsAt.getTime() + Math.max(1, Math.round(facts.top_minutes * 60_000 * SCALE)));
  const endsAt = new Date(startsAt.getTime() + Math.max(1, Math.round(facts.feed_minutes * 60_000 * SCALE)));
  const ledger = entryStatement(
    {
      kind: 'placement_reserve',
      reference: `placement:${id}:escrow-reserve`,
      description: `Price of placement ${id} moved into escrow`,
      lines: [
        { account: LedgerAccounts.advertiserAvailable(advertiserId, facts.currency), amountMinor: -price },
        { account: LedgerAccounts.escrow(advertiserId, id, facts.currency), amountMinor: price },
      ],
    },
    OFFER_PARAMS,
  );
  const text = `${facts.text}\n\n#ad · ${facts.advertiser_name}`;
  try {
    const written = await pool.query({ name: 'book_offer', text: `${INSERT_OFFER_SQL}, ${ledger.ctes} SELECT ${OFFER_SELECT}, ${ledger.select}`, values: [
      id, advertiserId, facts.owner_id, facts.channel_id, facts.campaign_id, facts.creative_id, body.format, startsAt, topEndsAt, endsAt,
      startsAt, price, Math.floor(price / 10), facts.currency, text, facts.parse_mode, JSON.stringify(facts.buttons), facts.image_url, 'hash',
      facts.topics, facts.excluded_topics, 'expire-offer', `placement.${id}.expire-offer`, JSON.stringify({ placementId: id }), startsAt,
      ...ledger.params,
    ] });
    return { status: 201, payload: { id, status: 'offered', priceMinor: price, currency: facts.currency, createdAt: written.rows[0].created_at } };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '23P01') return { status: 409, payload: { error: { code: 'slot_taken' } } };
    if (code === '23514') return { status: 402, payload: { error: { code: 'insufficient_balance' } } };
    throw error;
  }
}

let errors = 0;
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: Body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      response.writeHead(400).end();
      return;
    }
    const handler = request.url === '/book-same-sql' ? bookSameSql : book;
    handler(String(request.headers['x-advertiser']), body).then(
      ({ status, payload }) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload)),
      (error) => {
        if (errors++ < 3) process.stderr.write(`raw booking failed: ${String(error)}\n`);
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => void pool.end().then(() => process.exit(0))));
