import { parseArgs, type ParseArgsConfig } from 'node:util';

// One way for every script to read its flags: node:util parseArgs (strict: unknown flags and
// stray positionals are refused), --help, and one clear line on stderr with exit code 2 on misuse.

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

type Values<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export function cliArgs<O extends Options>(usage: string, options: O): Values<O> {
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    if ((values as { help?: boolean }).help) {
      process.stdout.write(`${usage.trim()}\n`);
      process.exit(0);
    }
    return values as Values<O>;
  } catch (err) {
    return usageExit(usage, (err as Error).message);
  }
}

export function usageExit(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage.trim()}\n`);
  process.exit(2);
}

/** A whole number within bounds, or a UsageError naming the flag (so `--orders abc` is refused). */
export function intFlag(name: string, value: string | undefined, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return Number(value);
}
