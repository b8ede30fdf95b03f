/**
 * One error base for the whole project. Callers classify by `code`, never by message text;
 * `retriable` tells a consumer loop whether to back off and retry or dead-letter the input.
 */
export const ErrorCode = {
  ConfigInvalid: 'REC_CONFIG_INVALID',
  DependencyUnavailable: 'REC_DEPENDENCY_UNAVAILABLE',
  Timeout: 'REC_TIMEOUT',
  ConnectorFailed: 'REC_CONNECTOR_FAILED',
  ConnectRequestFailed: 'REC_CONNECT_REQUEST_FAILED',
  InvalidArgument: 'REC_INVALID_ARGUMENT',
  SchemaInvalid: 'REC_SCHEMA_INVALID',
  SchemaUnknownFingerprint: 'REC_SCHEMA_UNKNOWN_FINGERPRINT',
  PayloadInvalid: 'REC_PAYLOAD_INVALID',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AppErrorOptions {
  retriable?: boolean;
  cause?: unknown;
  details?: Readonly<Record<string, unknown>>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details;
  }
}

export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}
