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
  /** Another writer moved a partition's stored offset between a stage's read and its apply. */
  StateOffsetMoved: 'REC_STATE_OFFSET_MOVED',
  /**
   * The state store is behind the consumer (it was rolled back: Redis restarted from an older AOF/RDB): the
   * batch was refused and the consumer must re-read from the stored offset + 1 (`details.resumeAt`).
   */
  StateOffsetGap: 'REC_STATE_GAP',
  /** A state batch failed in Redis after some of its writes (Redis keeps them): the partition refuses further batches until rebuilt. */
  StatePartiallyApplied: 'REC_STATE_PARTIAL',
  /** A rebuild from offset 0 of a topic whose first records retention deleted: the state would miss them. */
  SourceHistoryDeleted: 'REC_SOURCE_HISTORY_DELETED',
  /** A state-version operation conflicts with the versions' state (writing into the active version, a concurrent switch). */
  StateVersionConflict: 'REC_STATE_VERSION_CONFLICT',
  SchemaUnknownFingerprint: 'REC_SCHEMA_UNKNOWN_FINGERPRINT',
  PayloadInvalid: 'REC_PAYLOAD_INVALID',
  /** A CDC record is not a usable Debezium envelope: unknown table, missing op, row image, column or source position, wrong column type. */
  CdcEnvelopeInvalid: 'REC_CDC_ENVELOPE_INVALID',
  /** A well-formed source row cannot be turned into an output event (e.g. an unmapped URL or an unknown event action). */
  UnmappableEvent: 'REC_UNMAPPABLE_EVENT',
  /** A parked row gave up waiting for the row it references (e.g. a log_action that never arrived). */
  UnresolvedReference: 'REC_UNRESOLVED_REFERENCE',
  /** A ranker model publication cannot serve: checksum mismatch, unreadable ONNX, unknown feature names, wrong input/output shape. */
  ModelInvalid: 'REC_MODEL_INVALID',
  /** HTTP: no API key, or a key that matches none. */
  Unauthorized: 'REC_UNAUTHORIZED',
  /** HTTP: the key lacks the scope the endpoint needs. */
  Forbidden: 'REC_FORBIDDEN',
  /** HTTP: the key's request rate limit is exhausted. */
  RateLimited: 'REC_RATE_LIMITED',
  /** HTTP: no such route or resource (e.g. an unknown item). */
  NotFound: 'REC_NOT_FOUND',
  /** HTTP: the route exists, but not with this method (the `Allow` header lists the methods it has). */
  MethodNotAllowed: 'REC_METHOD_NOT_ALLOWED',
  /** HTTP: the request body is larger than the configured limit. */
  PayloadTooLarge: 'REC_PAYLOAD_TOO_LARGE',
  /** HTTP: an unexpected failure (a bug); the client gets this code and no detail, the log gets the stack. */
  Internal: 'REC_INTERNAL',
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
