/** Output for a person watching: numbered steps, indented facts, elapsed time, money as money. */

const started = Date.now();
let stepNumber = 0;

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;

export function step(title: string): void {
  stepNumber += 1;
  console.log(`\n[${elapsed()}] ${stepNumber}. ${title}`);
}

export function say(line: string): void {
  console.log(`             ${line}`);
}

/** Prints a multi-line text (a post) as a quoted block. */
export function quote(text: string): void {
  for (const line of text.split('\n')) console.log(`               │ ${line}`);
}

export function money(amountMinor: number, currency: string): string {
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  return `${sign}${(abs / 100).toFixed(2)} ${currency}`;
}

export function heading(title: string): void {
  console.log(`\n=== ${title} ===`);
}
