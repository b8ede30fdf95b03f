/**
 * Preloaded into the soaked process (`node --expose-gc --import tsx --import <this file>`): on SIGUSR2 it
 * runs a full garbage collection, then writes `process.memoryUsage()` as JSON to
 * $STREAMREC_SOAK_MEMORY_FILE, so the soak reads the memory the process holds, not the garbage it has
 * not collected yet. Inert without the variable or without --expose-gc.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { soakMemoryFile } from './config.js';

const file = soakMemoryFile();
const collect = (globalThis as { gc?: () => void }).gc;
if (file !== undefined && collect !== undefined) {
  process.on('SIGUSR2', () => {
    collect();
    // Written aside and renamed: the reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
    renameSync(`${file}.tmp`, file);
  });
}
