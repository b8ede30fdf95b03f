/** The ClickHouse DDL files (schemas/clickhouse), ordered and split (reads files: an I/O entry). */
export {
  DDL_FILE_PATTERN,
  loadClickHouseDdl,
  orderDdlFiles,
  splitSqlStatements,
  type DdlFile,
} from './clickhouse-ddl.js';
