/** Injection tokens for the ports the marketplace talks through. */
export const PLATFORM_ADAPTER = Symbol('PLATFORM_ADAPTER');
export const PAYMENTS_PROVIDER = Symbol('PAYMENTS_PROVIDER');
export const CONTEXT_CHECKER = Symbol('CONTEXT_CHECKER');
