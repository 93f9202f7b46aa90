import { useLocation } from '../../app/router.tsx';

/** For pages that need an account: links to log in or sign up, coming back here after. */
export function SignInPrompt({ what }: { what: string }) {
  const { href } = useLocation();
  const next = encodeURIComponent(href);
  return (
    <section className="narrow card">
      <h1>Log in to {what}</h1>
      <p>
        <a className="button" href={`/login?next=${next}`}>
          Log in
        </a>{' '}
        or <a href={`/signup?next=${next}`}>create an account</a>.
      </p>
    </section>
  );
}
