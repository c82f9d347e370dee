import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';
import { compile as compileProxyList } from 'proxy-addr';

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  return value;
};
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value;

/** Addresses, CIDR ranges or loopback/linklocal/uniquelocal, as Express's `trust proxy` reads them. */
const IsProxyList = () =>
  ValidateBy({
    name: 'isProxyList',
    validator: {
      validate: (value: unknown) => {
        if (!Array.isArray(value)) return false;
        try {
          compileProxyList(value as string[]);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () => '$property must be comma-separated IP addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    },
  });

/**
 * Every environment variable the server reads, validated once at start-up.
 * `.env.example` documents each with its default; keep the two in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** A real PostgreSQL; unset means the embedded PGlite database in CMDB_DATA_DIR. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  CMDB_DATA_DIR = './data';

  @Transform(toBoolean)
  @IsBoolean()
  CMDB_RUN_MIGRATIONS = true;

  /** 32 bytes, base64 or hex: encrypts cloud credentials at rest. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  CMDB_ENCRYPTION_KEY?: string;

  /** Comma-separated previous keys, still readable during a key rotation. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  CMDB_ENCRYPTION_KEYS_OLD?: string;

  /**
   * Accepted as an admin bearer token (compared by hash, in constant time). Unset on the
   * embedded database without any admin token: one is generated and printed once at start-up.
   */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CMDB_ADMIN_TOKEN must be at least 32 characters: generate it, e.g. `openssl rand -base64 32`' })
  CMDB_ADMIN_TOKEN?: string;

  /** Authentication failures per client (IP) in a sliding minute before it is answered 429. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CMDB_AUTH_FAILURES_PER_MINUTE = 10;

  /** Requests to a secret's vendor are bounded by this timeout each (ms). */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CMDB_VENDOR_TIMEOUT_MS = 30_000;

  /** Attempts per vendor call, the first included, on throttling and transient errors. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(20)
  CMDB_VENDOR_MAX_ATTEMPTS = 5;

  /** First backoff delay between attempts (ms); doubles per attempt, with full jitter. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(60_000)
  CMDB_VENDOR_RETRY_BASE_MS = 250;

  /** Sync schedule of secrets without their own: cron (5 or 6 fields) or a macro; 'off' for none. */
  @IsString()
  @Matches(/^(off|@\w+|\S+( \S+){4,5})$/, { message: 'CMDB_SYNC_SCHEDULE must be a cron expression, a macro such as @hourly, or off' })
  CMDB_SYNC_SCHEDULE = '@hourly';

  /** Sync jobs one process runs at once (scheduled and queued ones). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(32)
  CMDB_SYNC_CONCURRENCY = 2;

  /** How often idle workers look for queued jobs (ms); an enqueue in this process wakes them at once. */
  @Transform(toInteger)
  @IsInt()
  @Min(50)
  @Max(60_000)
  CMDB_SYNC_POLL_MS = 2_000;

  // Exposure to the network: trusted proxies, the OpenAPI pages, slow clients.

  /**
   * Proxies in front of the server whose X-Forwarded-For is believed: the client
   * address (which the failed-authentication throttle counts) is the nearest
   * untrusted hop. Empty: the connection's own address, X-Forwarded-For ignored.
   */
  @Transform(toList)
  @IsProxyList()
  CMDB_TRUSTED_PROXIES: string[] = [];

  /** true: the OpenAPI pages (/docs, /docs-json) answer anyone; false: they need a viewer token like every other route. */
  @Transform(toBoolean)
  @IsBoolean()
  CMDB_DOCS_PUBLIC = false;

  /** A client must have sent its request's headers within this time (ms), else 408 and the connection is closed. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CMDB_HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** ... and its whole request, body included, within this time (ms); at least the headers' timeout. Answers may take longer. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  CMDB_HTTP_REQUEST_TIMEOUT_MS = 30_000;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parses and validates the environment; throws one error that names every bad variable. */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const relevant: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && (known.includes(key) || key === 'DATABASE_URL' || key.startsWith('CMDB_'))) {
      relevant[key] = value;
    }
  }
  const environment = plainToInstance(EnvironmentVariables, relevant, { exposeDefaultValues: true });
  const errors = validateSync(environment, { forbidUnknownValues: false });
  const problems = errors.map((error) => {
    const value = /KEY|TOKEN/.test(error.property) || error.property === 'DATABASE_URL' ? '(hidden)' : JSON.stringify(error.value);
    return `${error.property}=${value}: ${Object.values(error.constraints ?? {}).join('; ')}`;
  });
  if (errors.length === 0 && environment.CMDB_HTTP_REQUEST_TIMEOUT_MS < environment.CMDB_HTTP_HEADERS_TIMEOUT_MS) {
    problems.push(`CMDB_HTTP_REQUEST_TIMEOUT_MS=${environment.CMDB_HTTP_REQUEST_TIMEOUT_MS}: must be at least CMDB_HTTP_HEADERS_TIMEOUT_MS`);
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return environment;
}
