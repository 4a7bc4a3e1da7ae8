import { type ParseArgsConfig, parseArgs } from 'node:util';

/** The command line is wrong: printed as one line with a pointer to help; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into one readable line. */
export function parseCommand<T extends Options>(
  command: string,
  argv: string[],
  options: T,
  positionals = 0,
) {
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`"trellis ${command}" takes no argument "${parsed.positionals[positionals]}"`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
    // parseArgs' messages are long and suggest "--" tricks; keep the first sentence, name the command.
    const first = (error as Error).message.split('. ')[0]?.replace(/\.$/, '') ?? '';
    throw new UsageError(`trellis ${command}: ${first.charAt(0).toLowerCase()}${first.slice(1)}`);
  }
}

/** A required text flag, trimmed, with bounds the API would apply too. */
export function requiredText(command: string, flag: string, value: unknown, maxLength: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new UsageError(`trellis ${command}: --${flag} is required`);
  if (text.length > maxLength) {
    throw new UsageError(`trellis ${command}: --${flag} must be at most ${maxLength} characters`);
  }
  return text;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requiredEmail(command: string, flag: string, value: unknown): string {
  const email = requiredText(command, flag, value, 320);
  if (!EMAIL.test(email))
    throw new UsageError(`trellis ${command}: --${flag} must be an email address, got "${email}"`);
  return email;
}

export function optionalText(command: string, flag: string, value: unknown, maxLength: number) {
  return value === undefined ? undefined : requiredText(command, flag, value, maxLength);
}

export function positiveId(command: string, what: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`trellis ${command}: the ${what} id is required`);
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) {
    throw new UsageError(`trellis ${command}: the ${what} id must be a positive integer, got "${value}"`);
  }
  return Number(value);
}
