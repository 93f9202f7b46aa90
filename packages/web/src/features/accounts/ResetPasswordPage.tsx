import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { type Me, request } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useTitle } from '../../lib/useAsync.ts';

const resetApi = {
  request: (email: string) =>
    request<{ ok: boolean; message: string }>('POST', '/auth/password-reset', { email }),
  confirm: (token: string, password: string) =>
    request<{ user: Me }>('POST', '/auth/password-reset/confirm', { token, password }),
};

/**
 * Password reset: without a token, ask for the email (the answer is the same whether or not an
 * account uses it); with the token from the email, choose a new password (signs in here and
 * out everywhere else).
 */
export function ResetPasswordPage({ token }: { token: string | null }) {
  useTitle('Reset your password');
  return <section className="narrow">{token ? <ChooseForm token={token} /> : <AskForm />}</section>;
}

function AskForm() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const ask = useAction(async () => setSent((await resetApi.request(email.trim())).message));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask.run();
  };
  return (
    <>
      <h1>Reset your password</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <ErrorMessage error={ask.error} />
        <label>
          Email address of your account
          <input
            type="email"
            name="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <button type="submit" className="button" disabled={ask.pending || !email.trim()}>
          {ask.pending ? 'Sending…' : 'Email me a reset link'}
        </button>
        {sent && <output>{sent}</output>}
        <p className="muted">
          Remembered it? <a href="/login">Log in</a>
        </p>
      </form>
    </>
  );
}

function ChooseForm({ token }: { token: string }) {
  const { setMe } = useSession();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again.length > 0 && password !== again;
  const confirm = useAction(async () => {
    const { user } = await resetApi.confirm(token, password);
    setMe(user);
    navigate('/', { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) confirm.run();
  };
  return (
    <>
      <h1>Choose a new password</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <ErrorMessage error={confirm.error} />
        <label>
          New password
          <input
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={password}
            minLength={10}
            aria-describedby="reset-hint"
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <p id="reset-hint" className="hint">
          At least 10 characters. You will be signed out on every other device.
        </p>
        <label>
          The same again
          <input
            type="password"
            name="new-password-again"
            autoComplete="new-password"
            value={again}
            aria-invalid={mismatch}
            onChange={(e) => setAgain(e.target.value)}
            required
          />
        </label>
        {mismatch && (
          <p className="error" role="alert">
            The two passwords differ.
          </p>
        )}
        <button
          type="submit"
          className="button"
          disabled={confirm.pending || password.length < 10 || mismatch}
        >
          {confirm.pending ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </>
  );
}
