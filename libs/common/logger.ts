import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear, and any Bot API URL
 * (which carries the token in its path) is masked before it reaches a log line.
 */
const REDACTED_KEYS = [
  'authorization', 'Authorization', 'apiKey', 'api_key', 'token', 'botToken', 'secret', 'secretKey',
  'webhookSecret', 'password', 'stripe-signature', 'x-telegram-bot-api-secret-token', 'clientSecret', 'client_secret',
];

const redactPaths = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((key) => `*.${key}`),
  ...REDACTED_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers["stripe-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

export function maskSecrets(text: string): string {
  return text
    .replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot<redacted>')
    .replace(/\b(pk|sk|rk|whsec)_(live|test)?_?[A-Za-z0-9]{6,}/g, '$1_<redacted>')
    .replace(/\bplc_(adv|own|opr)_[A-Za-z0-9_-]+/g, 'plc_$1_<redacted>');
}

/** Logs go to stdout, or to LOG_FILE when set (appended, written synchronously). */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const destination = process.env.LOG_FILE ? pino.destination({ dest: process.env.LOG_FILE, sync: true, append: true }) : undefined;
  return pino({
    name,
    level,
    redact: { paths: redactPaths, censor: '<redacted>' },
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskSecrets(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (error: Error) => ({ type: error.name, message: maskSecrets(error.message), stack: maskSecrets(error.stack ?? '') }),
    },
  }, destination);
}
