import { describe, expect, it } from 'vitest';
import { binlogFileIndex, connectorBinlogStatus } from './binlog-position.js';

const logs = [
  { name: 'binlog.000003', sizeBytes: 1000 },
  { name: 'binlog.000004', sizeBytes: 2000 },
  { name: 'binlog.000005', sizeBytes: 700 },
];
const current = { file: 'binlog.000005', position: 700 };

describe('binlogFileIndex', () => {
  it('reads the number after the last dot', () => {
    expect(binlogFileIndex('binlog.000042')).toBe(42);
    expect(binlogFileIndex('mysql-bin.1')).toBe(1);
    expect(binlogFileIndex('binlog')).toBeUndefined();
  });
});

describe('connectorBinlogStatus', () => {
  it('counts the bytes after the committed position in the same file', () => {
    expect(connectorBinlogStatus(logs, current, { file: 'binlog.000005', position: 500 })).toEqual({ fileIndex: 5, retained: true, filesBehind: 0, bytesBehind: 200 });
  });

  it('adds the rest of the committed file, the files between and the current position', () => {
    // 1000 - 400 of 000003, all 2000 of 000004, 700 of 000005
    expect(connectorBinlogStatus(logs, current, { file: 'binlog.000003', position: 400 })).toEqual({ fileIndex: 3, retained: true, filesBehind: 2, bytesBehind: 3300 });
  });

  it('says a purged file is gone, and how many files behind it was', () => {
    expect(connectorBinlogStatus(logs, current, { file: 'binlog.000001', position: 4 })).toEqual({ fileIndex: 1, retained: false, filesBehind: 4, bytesBehind: undefined });
  });

  it('is never behind when caught up or ahead', () => {
    expect(connectorBinlogStatus(logs, current, { file: 'binlog.000005', position: 700 }).bytesBehind).toBe(0);
    expect(connectorBinlogStatus(logs, current, { file: 'binlog.000005', position: 900 }).bytesBehind).toBe(0);
  });
});
