/**
 * Why an INSERT into ClickHouse failed, by ClickHouse's error code (`Code: NNN` in the HTTP error body;
 * 18.16 writes `Code: 27, e.displayText() = DB::Exception: …`, newer servers `Code: 27. DB::Exception: …`):
 * - `transient`: the server or the network; heals by itself → retried with backoff.
 * - `rows`: the rows themselves cannot be stored (a value ClickHouse cannot parse or hold) → the failing rows
 *   are isolated by bisection and dead-lettered, the rest inserted.
 * - `operator`: the schema, the grants or the configuration; no row is at fault and none may be lost →
 *   retried with backoff, logged as an error, until an operator fixes it. Unknown codes land here too.
 */
export const InsertFailureClass = { Transient: 'transient', Rows: 'rows', Operator: 'operator' } as const;
export type InsertFailureClass = (typeof InsertFailureClass)[keyof typeof InsertFailureClass];

/** ClickHouse error codes (Common/ErrorCodes.cpp; the 18.16 numbers, plus later ones that mean the same). */
const CODE_CLASSES: Readonly<Record<number, InsertFailureClass>> = {
  // The rows: a value that does not parse or does not fit its column.
  6: 'rows', // CANNOT_PARSE_TEXT
  26: 'rows', // CANNOT_PARSE_QUOTED_STRING
  27: 'rows', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38: 'rows', // CANNOT_PARSE_DATE
  41: 'rows', // CANNOT_PARSE_DATETIME
  53: 'rows', // TYPE_MISMATCH
  69: 'rows', // ARGUMENT_OUT_OF_BOUND
  70: 'rows', // CANNOT_CONVERT_TYPE
  72: 'rows', // CANNOT_PARSE_NUMBER
  117: 'rows', // INCORRECT_DATA
  131: 'rows', // TOO_LARGE_STRING_SIZE
  190: 'rows', // SIZES_OF_ARRAYS_DOESNT_MATCH (Nested columns of one row)
  321: 'rows', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  407: 'rows', // DECIMAL_OVERFLOW
  // The server or the network: heals by itself.
  159: 'transient', // TIMEOUT_EXCEEDED
  173: 'transient', // CANNOT_ALLOCATE_MEMORY
  202: 'transient', // TOO_MANY_SIMULTANEOUS_QUERIES
  203: 'transient', // NO_FREE_CONNECTION
  209: 'transient', // SOCKET_TIMEOUT
  210: 'transient', // NETWORK_ERROR
  225: 'transient', // NO_ZOOKEEPER
  236: 'transient', // ABORTED
  241: 'transient', // MEMORY_LIMIT_EXCEEDED
  242: 'transient', // TABLE_IS_READ_ONLY (a replica without ZooKeeper)
  252: 'transient', // TOO_MANY_PARTS
  285: 'transient', // TOO_FEW_LIVE_REPLICAS
  286: 'transient', // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE
  319: 'transient', // UNKNOWN_STATUS_OF_INSERT
  394: 'transient', // QUERY_WAS_CANCELLED
  999: 'transient', // KEEPER_EXCEPTION
  // The schema, the grants, the configuration: an operator must act.
  16: 'operator', // NO_SUCH_COLUMN_IN_TABLE
  47: 'operator', // UNKNOWN_IDENTIFIER
  60: 'operator', // UNKNOWN_TABLE
  62: 'operator', // SYNTAX_ERROR
  73: 'operator', // UNKNOWN_FORMAT
  81: 'operator', // UNKNOWN_DATABASE
  115: 'operator', // UNKNOWN_SETTING
  164: 'operator', // READONLY (the user's profile)
  192: 'operator', // UNKNOWN_USER
  193: 'operator', // WRONG_PASSWORD
  194: 'operator', // REQUIRED_PASSWORD
  195: 'operator', // IP_ADDRESS_NOT_ALLOWED
  497: 'operator', // ACCESS_DENIED (later servers)
  516: 'operator', // AUTHENTICATION_FAILED (later servers)
};

/**
 * The class of a failed INSERT. No code (refused connection, reset, timeout of the client, a 5xx of a proxy)
 * is transient; a code outside the table is for an operator (retried, never dropped, but loud).
 */
export function classifyInsertFailure(code: number | undefined): InsertFailureClass {
  if (code === undefined) return InsertFailureClass.Transient;
  return CODE_CLASSES[code] ?? InsertFailureClass.Operator;
}

/** The ClickHouse error code in an error text (the innermost one of a wrapped exception), if any. */
export function clickHouseErrorCode(text: string): number | undefined {
  const codes = [...text.matchAll(/\bCode: (\d{1,5})[.,]/g)];
  const last = codes.at(-1);
  return last === undefined ? undefined : Number(last[1]);
}

/**
 * ClickHouse's message for a log line or a dead letter's reason: its first line, without the input a parse
 * error quotes (`… before: <the rest of the row>: (while read the value of key …)`: the dead letter carries
 * the record already, the reason should not copy it), bounded.
 */
export function clickHouseErrorSummary(text: string, maxLength = 300): string {
  const firstLine = (text.split('\n')[0] ?? '').trim();
  const unquoted = firstLine.replace(/\s*before: .*?(?=: \(while |$)/, '');
  return unquoted.length > maxLength ? `${unquoted.slice(0, maxLength)}…` : unquoted;
}
