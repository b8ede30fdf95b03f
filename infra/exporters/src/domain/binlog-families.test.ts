import { describe, expect, it } from 'vitest';
import { binlogFamilies, type BinlogSnapshot } from './binlog-families.js';
import { renderExposition } from './exposition.js';

const mariadb = {
  serverId: 1,
  logs: [
    { name: 'binlog.000007', sizeBytes: 5000 },
    { name: 'binlog.000008', sizeBytes: 1200 },
  ],
  current: { file: 'binlog.000008', position: 1200 },
  expireLogsSeconds: 604_800,
  commits: 42,
  bytesWritten: 6200,
};
const offset = { connector: 'cdc-mariadb', file: 'binlog.000007', position: 4000, eventTimestampSeconds: 1_796_400_000, serverId: 1, readAtMs: 1_796_429_000_000 };

const text = (snapshot: BinlogSnapshot): string => renderExposition(binlogFamilies(snapshot));

describe('binlogFamilies', () => {
  it('exports the server\'s binary log and the connector\'s position and distance in it', () => {
    const out = text({ mariadb, offsets: [offset], offsetsFresh: true });
    for (const line of [
      'mariadb_binlog_up 1',
      'mariadb_binlog_files 2',
      'mariadb_binlog_size_bytes 6200',
      'mariadb_binlog_current_file_index 8',
      'mariadb_binlog_oldest_file_index 7',
      'mariadb_binlog_current_position_bytes 1200',
      'mariadb_binlog_expire_logs_seconds 604800',
      'mariadb_binlog_commits_total 42',
      'cdc_connect_offsets_up 1',
      'cdc_connector_binlog_file_index{connector="cdc-mariadb"} 7',
      'cdc_connector_binlog_event_timestamp_seconds{connector="cdc-mariadb"} 1796400000',
      'cdc_connector_offset_read_timestamp_seconds{connector="cdc-mariadb"} 1796429000',
      'cdc_connector_binlog_file_retained{connector="cdc-mariadb"} 1',
      'cdc_connector_binlog_files_behind{connector="cdc-mariadb"} 1',
      // 5000 - 4000 + 1200
      'cdc_connector_binlog_bytes_behind{connector="cdc-mariadb"} 2200',
    ]) {
      expect(out).toContain(`\n${line}\n`);
    }
  });

  it('says a purged position is not retained and leaves its distance out', () => {
    const out = text({ mariadb, offsets: [{ ...offset, file: 'binlog.000005' }], offsetsFresh: true });
    expect(out).toContain('cdc_connector_binlog_file_retained{connector="cdc-mariadb"} 0\n');
    expect(out).toContain('cdc_connector_binlog_files_behind{connector="cdc-mariadb"} 3\n');
    expect(out).not.toContain('cdc_connector_binlog_bytes_behind');
  });

  it('keeps serving the last offsets read while Connect is down, and says so', () => {
    const out = text({ mariadb, offsets: [offset], offsetsFresh: false });
    expect(out).toContain('cdc_connect_offsets_up 0\n');
    expect(out).toContain('cdc_connector_binlog_files_behind{connector="cdc-mariadb"} 1\n');
  });

  it('reports MariaDB down, with the offsets alone', () => {
    const out = text({ mariadb: undefined, offsets: [offset], offsetsFresh: true });
    expect(out).toContain('mariadb_binlog_up 0\n');
    expect(out).not.toContain('mariadb_binlog_files');
    expect(out).toContain('cdc_connector_binlog_position_bytes{connector="cdc-mariadb"} 4000\n');
    expect(out).not.toContain('cdc_connector_binlog_file_retained');
  });

  it('leaves out a connector that reads another server', () => {
    const out = text({ mariadb, offsets: [{ ...offset, serverId: 2 }], offsetsFresh: true });
    expect(out).not.toContain('connector="cdc-mariadb"');
  });
});
