import { ConfigError } from '#libs/config';
import { maskSecrets } from '#libs/common';

/** A process that cannot start says why in one message and exits non-zero. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${maskSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  }
  process.exit(1);
}
