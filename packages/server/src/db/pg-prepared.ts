import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * PostgreSQL parses and plans every unnamed statement again; for the small, frequent queries
 * of a request that is a large share of the database's CPU. Kysely sends each query as text
 * plus parameters, so the same SQL text recurs: this wrapper gives each recurring text a
 * name derived from its hash, and node-postgres then prepares it once per connection
 * (Parse once, Bind/Execute after). Bounded per connection: texts that vary without end
 * (IN lists of every length) stop being named past `max`, and run unnamed as before.
 * Statements without parameters (BEGIN, COMMIT, DDL) are never named.
 */
export function withNamedStatements(pool: pg.Pool, max = 300): pg.Pool {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const named = new WeakSet<pg.PoolClient>();
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = await connect();
    if (named.has(client)) return client;
    named.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const names = new Map<string, string>();
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      text: unknown,
      values?: unknown,
      ...rest: unknown[]
    ) => {
      if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && rest.length === 0) {
        let name = names.get(text);
        if (!name && names.size < max) {
          name = `h${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
          names.set(text, name);
        }
        if (name) return query({ name, text, values });
      }
      return query(text, values, ...rest);
    };
    return client;
  };
  return pool;
}
