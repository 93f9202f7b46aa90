import { randomBytes } from 'node:crypto';
import { createDb, migrateToLatest } from '../db/index.ts';
import { signUp } from '../modules/accounts/accounts.service.ts';
import { countUsers, DemoClock, demoConflict, seedDemo } from './demo.ts';
import {
  CliError,
  configFromFlags,
  type DataFlags,
  databaseLabel,
  type Output,
  openApp,
  sqliteFile,
  UsageError,
} from './options.ts';

/** `hearth migrate`: brings the schema up to date and says what ran. */
export async function migrate(flags: DataFlags, out: Output): Promise<void> {
  const config = configFromFlags(flags);
  out.info(`Database: ${databaseLabel(config)}`);
  const db = createDb({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFile(config) });
  try {
    const ran = await migrateToLatest(db);
    out.info(
      ran.length
        ? `Applied ${ran.length} migration${ran.length === 1 ? '' : 's'}: ${ran.join(', ')}`
        : 'Already up to date: no migrations to apply.',
    );
  } finally {
    await db.destroy();
  }
}

/** `hearth demo`: adds the demo community; refuses a database that already has users unless --force. */
export async function demo(flags: DataFlags & { force?: boolean }, out: Output): Promise<void> {
  const config = configFromFlags(flags);
  const clock = new DemoClock();
  const app = await openApp(config, clock);
  try {
    out.info(`Database: ${databaseLabel(config)}`);
    const conflict = await demoConflict(app.db);
    if (conflict) throw new CliError(`the demo is already in this database (${conflict})`);
    const users = await countUsers(app.db);
    if (users > 0 && !flags.force) {
      throw new CliError(
        `this database already has ${users} user${users === 1 ? '' : 's'}; the demo is meant for an empty one (add --force to add it anyway)`,
      );
    }
    const started = Date.now();
    const s = await seedDemo({ db: app.db, events: app.events, clock }, { log: out.info });
    out.info(`Demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    out.info(
      `Log in as "${s.login.username}" with password "${s.login.password}" (the same for every demo member).`,
    );
  } finally {
    await app.close();
  }
}

export interface CreateUserFlags extends DataFlags {
  username: string;
  email: string;
  password?: string;
  displayName?: string;
  admin?: boolean;
}

// The same rules as the sign-up API (accounts.schema.ts), which the service itself does not repeat.
const USERNAME = /^[A-Za-z0-9_]{3,30}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkNewUser(f: CreateUserFlags): void {
  if (!USERNAME.test(f.username)) {
    throw new UsageError(
      `--username must be 3-30 letters, digits or underscores, got ${JSON.stringify(f.username)}`,
    );
  }
  if (!EMAIL.test(f.email) || f.email.length > 254) {
    throw new UsageError(`--email must be an email address, got ${JSON.stringify(f.email)}`);
  }
  if (f.password !== undefined && (f.password.length < 10 || f.password.length > 256)) {
    throw new UsageError('--password must be 10 to 256 characters (leave it out to generate one)');
  }
  if (f.displayName !== undefined && (!f.displayName.trim() || f.displayName.length > 64)) {
    throw new UsageError('--display-name must be 1 to 64 characters');
  }
}

/** `hearth admin create-user`: an account made through the accounts service, optionally a site admin. */
export async function createUser(flags: CreateUserFlags, out: Output): Promise<void> {
  checkNewUser(flags);
  const config = configFromFlags(flags);
  const generated = flags.password === undefined;
  // 18 random bytes = 144 bits, 24 characters of base64url.
  const password = flags.password ?? randomBytes(18).toString('base64url');
  const app = await openApp(config);
  try {
    const user = await signUp(
      { db: app.db, events: app.events, clock: app.clock },
      { username: flags.username, email: flags.email, password, displayName: flags.displayName },
      { isAdmin: !!flags.admin },
    );
    await app.events.drain();
    const what = user.is_admin === 1 ? 'admin user' : 'user';
    out.info(
      `Created ${what} "${user.username}" <${user.email}> (id ${user.id}) in ${databaseLabel(config)}`,
    );
    if (generated) out.info(`Password: ${password}\n(generated; it is shown only this once)`);
  } finally {
    await app.close();
  }
}
