import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, migrateToLatest } from '../src/db/index.ts';

/**
 * On PostgreSQL, migrates one template database per test run; every suite's fresh database is
 * then a copy of it (`create database … template …`, test/harness.ts) instead of running all
 * migrations again (~1 s per suite). SQLite suites migrate their in-memory database as before.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return;
  const name = `hearth_tpl_${process.pid}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(q).finally(() => c.end());
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb({ databaseUrl: url.toString(), poolSize: 1 });
  await migrateToLatest(db);
  await db.destroy();
  project.provide('pgTemplate', name);
  return async () => admin(`drop database if exists ${name} with (force)`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | undefined;
  }
}
