import { type FormEvent, useState } from 'react';
import { navigate, useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useTitle } from '../../lib/useAsync.ts';

/** Where to go after signing in: the `next` parameter if it is a path on this site. */
function useNext(): string {
  const { search } = useLocation();
  const next = search.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !/^\/(login|signup)\b/.test(next) ? next : '/';
}

const fieldError = (err: unknown, field: string) =>
  err instanceof ApiError && err.field === `body.${field}` ? true : undefined;

export function LoginPage() {
  useTitle('Log in');
  const { setMe } = useSession();
  const next = useNext();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(async () => {
    const { user } = await api.login({ login: login.trim(), password });
    setMe(user);
    navigate(next, { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.run();
  };
  return (
    <section className="narrow">
      <h1>Log in</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <ErrorMessage error={action.error} />
        <label>
          Username or email
          <input
            name="login"
            autoComplete="username"
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            required
            aria-invalid={fieldError(action.error, 'login')}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            aria-invalid={fieldError(action.error, 'password')}
          />
        </label>
        <button type="submit" className="button" disabled={action.pending}>
          {action.pending ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted">
          New here? <a href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</a>
        </p>
        <p className="muted">
          <a href="/reset-password">Forgot your password?</a>
        </p>
      </form>
    </section>
  );
}

export function SignupPage() {
  useTitle('Sign up');
  const { setMe } = useSession();
  const next = useNext();
  const [form, setForm] = useState({ username: '', email: '', displayName: '', password: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const action = useAction(async () => {
    const { user } = await api.signup({
      username: form.username.trim(),
      email: form.email.trim(),
      password: form.password,
      ...(form.displayName.trim() && { displayName: form.displayName.trim() }),
    });
    setMe(user);
    navigate(next, { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.run();
  };
  return (
    <section className="narrow">
      <h1>Create your account</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <ErrorMessage error={action.error} />
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={form.username}
            onChange={set('username')}
            required
            pattern="[A-Za-z0-9_]{3,30}"
            aria-describedby="username-hint"
            aria-invalid={fieldError(action.error, 'username')}
          />
        </label>
        <p id="username-hint" className="hint">
          3–30 letters, digits or underscores. Others mention you as @name.
        </p>
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="email"
            value={form.email}
            onChange={set('email')}
            required
            aria-invalid={fieldError(action.error, 'email')}
          />
        </label>
        <label>
          <span>
            Display name <span className="muted">(optional)</span>
          </span>
          <input
            name="displayName"
            autoComplete="name"
            value={form.displayName}
            onChange={set('displayName')}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            required
            minLength={10}
            aria-describedby="password-hint"
            aria-invalid={fieldError(action.error, 'password')}
          />
        </label>
        <p id="password-hint" className="hint">
          At least 10 characters.
        </p>
        <button type="submit" className="button" disabled={action.pending}>
          {action.pending ? 'Creating…' : 'Sign up'}
        </button>
        <p className="muted">
          Already have an account? <a href={`/login?next=${encodeURIComponent(next)}`}>Log in</a>
        </p>
      </form>
    </section>
  );
}
