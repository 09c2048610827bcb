import { ColumnOptions } from 'typeorm';

/**
 * Money is an integer number of minor units. Postgres bigint comes back from pg as a string;
 * this transformer turns it into a number and refuses anything that is not a safe integer.
 */
export const minorUnitsTransformer = {
  to: (value: number | null | undefined): string | null | undefined => {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new Error(`Money must be an integer number of minor units, got ${value}`);
    return String(value);
  },
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

export function moneyColumn(options: ColumnOptions = {}): ColumnOptions {
  return { type: 'bigint', transformer: minorUnitsTransformer, ...options };
}
