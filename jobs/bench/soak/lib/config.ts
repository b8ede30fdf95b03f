/** The soaked process's side of the soak: where its gc probe writes (set by soak.ts for the child only). */
export function soakMemoryFile(): string | undefined {
  return process.env['STREAMREC_SOAK_MEMORY_FILE'];
}
