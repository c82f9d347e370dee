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
import { IsCertificateFile } from './certificate-file';

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
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** `7d`, `12h`, `30m`, `90s` or plain seconds, as seconds; anything else is left for the validator to refuse. */
const toSeconds = ({ value }: { value: unknown }) => {
  const match = typeof value === 'string' ? /^(\d+)([smhd]?)$/.exec(value.trim()) : null;
  return match ? Number(match[1]) * DURATION_UNITS[match[2] || 's'] : value;
};

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

  /** The largest vendor answer one call reads (bytes); a larger one fails the call (ResponseTooLarge) instead of filling the heap. */
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  CMDB_VENDOR_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

  /** Delta sync: attempts to apply one stored event (vendor re-reads that keep failing) before it is recorded failed. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(50)
  CMDB_EVENT_MAX_ATTEMPTS = 8;

  /** Delta sync: first delay before an event is tried again (ms); doubles per attempt, at most a minute. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(60_000)
  CMDB_EVENT_RETRY_BASE_MS = 1_000;

  /**
   * Delta sync: how long the worker's claim on an event holds. A server killed
   * while applying it leaves the event to be applied again after this (the apply rule makes a repeat harmless).
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  CMDB_EVENT_LEASE_MS = 60_000;

  /** Largest webhook body accepted (bytes); a larger one answers 413 and is not stored. */
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  CMDB_WEBHOOK_MAX_BYTES = 1024 * 1024;

  /**
   * The SMN endpoint of a region, `{region}` standing for the region: the only
   * origin whose signing certificates are fetched and whose subscribe URLs are
   * confirmed. Change it only to point at a private region or a simulator.
   */
  @IsString()
  @Matches(/^https?:\/\/[^/\s]*\{region\}[^/\s]*$|^https?:\/\/[^/\s]+$/, { message: 'CMDB_SMN_ENDPOINT must be an http(s) origin, such as https://smn.{region}.myhuaweicloud.com' })
  CMDB_SMN_ENDPOINT = 'https://smn.{region}.myhuaweicloud.com';

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

  /**
   * A running job whose heartbeat is older than this (ms) belongs to a dead
   * process: any replica marks it interrupted. Heartbeats come every sixth of it (10 s at most).
   */
  @Transform(toInteger)
  @IsInt()
  @Min(2_000)
  @Max(3_600_000)
  CMDB_SYNC_HEARTBEAT_TIMEOUT_MS = 60_000;

  /** How long the change log keeps changes (`7d`, `12h`, `30m`, `90s`); a watch from an older revision answers 410. Held as seconds. */
  @Transform(toSeconds)
  @IsInt({ message: 'CMDB_CHANGES_RETENTION must be a duration such as 7d, 12h, 30m or 90s' })
  @Min(1)
  @Max(10 * 365 * 86_400)
  CMDB_CHANGES_RETENTION = 7 * 86_400;

  /**
   * Delta sync: how long tombstones (deletes of resources never held) and
   * finished inbox events are kept (`7d`, `12h`, `30m`, `90s`). A create
   * captured before a delete but delivered later than this can bring the
   * resource back until the next full sync. Held as seconds.
   */
  @Transform(toSeconds)
  @IsInt({ message: 'CMDB_TOMBSTONE_RETENTION must be a duration such as 7d, 12h, 30m or 90s' })
  @Min(1)
  @Max(10 * 365 * 86_400)
  CMDB_TOMBSTONE_RETENTION = 7 * 86_400;

  /** How often a watch stream gets a BOOKMARK with the current revision (seconds); its token is re-checked as often. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(300)
  CMDB_WATCH_BOOKMARK_SECONDS = 5;

  /** Bytes a watch connection may have waiting to be sent; past it the client gets ERROR TooSlow and is disconnected. */
  @Transform(toInteger)
  @IsInt()
  @Min(4096)
  @Max(1024 * 1024 * 1024)
  CMDB_WATCH_BUFFER_BYTES = 4 * 1024 * 1024;

  /**
   * How often every process tries to take over the change feeds (vSphere
   * `watch: true`) that no process follows (ms): a dead follower is replaced
   * within about this long.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CMDB_WATCH_CLAIM_INTERVAL_MS = 30_000;

  /** Publishes every change to this MQTT broker (mqtt://, mqtts://, ws://, wss://); unset: off. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^(mqtts?|wss?):\/\/.+/, { message: 'CMDB_PUBLISH_MQTT_URL must be an mqtt://, mqtts://, ws:// or wss:// URL' })
  CMDB_PUBLISH_MQTT_URL?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  CMDB_PUBLISH_MQTT_USERNAME?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  CMDB_PUBLISH_MQTT_PASSWORD?: string;

  /** PEM file of the CA that signed the MQTT broker's certificate (mqtts://, wss://); unset: the system's CAs. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsCertificateFile()
  CMDB_PUBLISH_MQTT_CA_FILE?: string;

  /**
   * The largest MQTT packet the broker takes, for a broker that does not announce it (mosquitto's
   * message_size_limit): a larger change is published without its object. Unset: what the broker announces.
   */
  @Transform((params) => toInteger({ value: emptyAsUnset(params) }))
  @IsOptional()
  @IsInt()
  @Min(1_024)
  @Max(268_435_455)
  CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES?: number;

  /** Publishes every change to this NATS server's JetStream (nats://, tls://); unset: off. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^(nats|tls):\/\/.+/, { message: 'CMDB_PUBLISH_NATS_URL must be a nats:// or tls:// URL' })
  CMDB_PUBLISH_NATS_URL?: string;

  /** First level of every MQTT topic and NATS subject. */
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'CMDB_PUBLISH_TOPIC_PREFIX must be letters, digits, _ or - (one topic level)' })
  CMDB_PUBLISH_TOPIC_PREFIX = 'cmdb';

  /** The CloudEvents `source` of every published change: a URI reference naming this CMDB. */
  @IsString()
  @MinLength(1)
  CMDB_PUBLISH_SOURCE = '/cmdb';

  /** The JetStream stream (created when missing, bound to `<prefix>.>`) and its limits. */
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'CMDB_PUBLISH_NATS_STREAM must be letters, digits, _ or -' })
  CMDB_PUBLISH_NATS_STREAM = 'CMDB';

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  CMDB_PUBLISH_NATS_MAX_AGE_SECONDS = 604_800;

  /** -1: unlimited. */
  @Transform(toInteger)
  @IsInt()
  @Min(-1)
  CMDB_PUBLISH_NATS_MAX_BYTES = -1;

  /** -1: unlimited. */
  @Transform(toInteger)
  @IsInt()
  @Min(-1)
  CMDB_PUBLISH_NATS_MAX_MESSAGES = -1;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(5)
  CMDB_PUBLISH_NATS_REPLICAS = 1;

  /** A change re-sent within this window is not stored twice (Nats-Msg-Id = revision). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(86_400)
  CMDB_PUBLISH_NATS_DUPLICATE_WINDOW_SECONDS = 120;

  /** Changes read from the log and sent per broker round. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CMDB_PUBLISH_BATCH_SIZE = 500;

  /** A connection or a round's acknowledgements slower than this (ms) is retried from the last acknowledged revision. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CMDB_PUBLISH_TIMEOUT_MS = 10_000;

  /** Longest wait between attempts while a broker is down (ms); the wait starts at 250 ms and doubles. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CMDB_PUBLISH_RETRY_MAX_MS = 30_000;

  /** How often a replica that does not publish tries to take over a sink (ms). */
  @Transform(toInteger)
  @IsInt()
  @Min(50)
  @Max(600_000)
  CMDB_PUBLISH_TAKEOVER_MS = 5_000;
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
    // URLs may carry a user and password.
    const value = /KEY|TOKEN|PASSWORD|_URL$/.test(error.property) ? '(hidden)' : JSON.stringify(error.value);
    return `${error.property}=${value}: ${Object.values(error.constraints ?? {}).join('; ')}`;
  });
  if (errors.length === 0 && environment.CMDB_HTTP_REQUEST_TIMEOUT_MS < environment.CMDB_HTTP_HEADERS_TIMEOUT_MS) {
    problems.push(`CMDB_HTTP_REQUEST_TIMEOUT_MS=${environment.CMDB_HTTP_REQUEST_TIMEOUT_MS}: must be at least CMDB_HTTP_HEADERS_TIMEOUT_MS`);
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return environment;
}
