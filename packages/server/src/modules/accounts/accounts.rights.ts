import { declareUserColumns, registerErasureStep } from '../../platform/data-rights.ts';

/** Accounts' later tables and the mail queue (platform/mail.ts), for erasure (platform/data-rights.ts). */
declareUserColumns([
  { table: 'password_resets', column: 'user_id', action: 'delete' },
  { table: 'mail_outbox', column: 'user_id', action: 'delete', note: 'queued and sent mail to them' },
]);

/** Mail queued to their address without a user id (a reset asked for by address) goes too. */
registerErasureStep({
  name: 'accounts.mail',
  order: 55,
  async run(trx, ctx) {
    await trx.deleteFrom('mail_outbox').where('to_address', '=', ctx.email).execute();
  },
});
