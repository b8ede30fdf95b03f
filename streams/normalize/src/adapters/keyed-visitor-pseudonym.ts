import { createHmac } from 'node:crypto';
import type { VisitorPseudonym } from '../domain/index.js';

/**
 * HMAC-SHA256 of the visitor id's 8 bytes under `key`, truncated to 8 bytes (16 hex digits, the shape
 * of a Matomo visitor id, so every downstream format stays valid). Without the key a pseudonym cannot
 * be traced back to Matomo's visit log; with it, a known visitor id can be looked up (erasure requests).
 * A new key gives every anonymous visitor a new id: replay normalize from the cdc topics after a change.
 */
export function keyedVisitorPseudonym(key: string): VisitorPseudonym {
  return (visitorHex) => createHmac('sha256', key).update(Buffer.from(visitorHex, 'hex')).digest('hex').slice(0, 16);
}
