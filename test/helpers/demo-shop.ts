import type { RowDataPacket } from 'mysql2/promise';
import { expect } from 'vitest';
import { decimalFromString, type ItemChange } from '@streamrec/schemas';
import { runDemoGenerator } from './demo-generator.js';
import { connectMariaDb } from './stack.js';

/** The demo shop's users and datasets, for tests that run storefront traffic (the simulator's users are the shop's). */

interface DatasetRow extends RowDataPacket {
  id: number;
  title: string;
  description: string;
  tags: string;
  industry: string;
  price: string;
  status: string;
  created_at: Date;
  updated_at: Date;
}

/** The demo shop's datasets as the normaliser would publish them (so an API serves what the simulator knows), and its user ids. */
export async function demoCatalogue(): Promise<{ items: ItemChange[]; users: Set<string> }> {
  const shop = await connectMariaDb('shop');
  try {
    const [rows] = await shop.query<DatasetRow[]>('SELECT id, title, description, tags, industry, CAST(price AS CHAR) AS price, status, created_at, updated_at FROM datasets');
    const [users] = await shop.query<RowDataPacket[]>('SELECT id FROM users');
    const items = rows.map((row): ItemChange => ({
      id: row.id,
      title: row.title,
      description: row.description,
      tags: row.tags.split(',').filter((tag) => tag !== ''),
      industry: row.industry,
      price: decimalFromString(row.price),
      status: row.status,
      available: row.status === 'listed',
      deleted: false,
      created_at: row.created_at.getTime(),
      updated_at: row.updated_at.getTime(),
      source_version: 1,
    }));
    return { items, users: new Set(users.map((row) => String(row['id']))) };
  } finally {
    await shop.end();
  }
}

/** The simulator's users are the shop's: a fresh stack (npm test without demo data) gets a small seeded shop first. */
export async function ensureDemoShop(): Promise<void> {
  const shop = await connectMariaDb('shop');
  let users: number;
  try {
    const [rows] = await shop.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users');
    users = Number(rows[0]?.['n'] ?? 0);
  } finally {
    await shop.end();
  }
  if (users >= 200) return;
  const { code } = await runDemoGenerator(['bulk', '--seed', '4242', '--scale', 'small', '--append']);
  expect(code).toBe(0);
}

