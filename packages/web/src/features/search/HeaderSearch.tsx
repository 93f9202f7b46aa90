import { type FormEvent, useState } from 'react';
import { navigate, useLocation } from '../../app/router.tsx';

/** The search box in the header (on phones, in the menu); the search page itself has the filters. */
export function HeaderSearch() {
  const { pathname } = useLocation();
  const [q, setQ] = useState('');
  if (pathname === '/search') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    navigate(`/search?q=${encodeURIComponent(q.trim())}`);
    setQ('');
  };
  return (
    <search className="header-search">
      <form onSubmit={submit}>
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Search"
          aria-label="Search Hearth"
          maxLength={200}
        />
      </form>
    </search>
  );
}
