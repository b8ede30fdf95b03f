import type { Admin, Kafka } from 'kafkajs';

/** One admin client, connected on first use and shared by a consumer's helpers (seeks, lag). */
export interface LazyAdmin {
  get(): Promise<Admin>;
  stop(): Promise<void>;
}

export function lazyAdmin(kafka: Kafka): LazyAdmin {
  let admin: Promise<Admin> | undefined;
  return {
    get() {
      admin ??= (async () => {
        const client = kafka.admin();
        await client.connect();
        return client;
      })();
      return admin;
    },
    async stop() {
      if (admin !== undefined) await (await admin).disconnect();
      admin = undefined;
    },
  };
}
