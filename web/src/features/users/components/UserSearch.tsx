import { useEffect, useState } from 'react';
import { Spinner } from '@/components/ui';
import type { User } from '@/lib/api/types';
import { useUser, useUserSearch } from '../api/users';

function useDebounced<T>(value: T, ms: number) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** Finds people by user name or name prefix; each result is a button that picks them. */
export function UserSearch({ label = 'Find a person', onPick, excludeId }: { label?: string; onPick?: (user: User) => void; excludeId?: string }) {
  const [text, setText] = useState('');
  const q = useDebounced(text, 250);
  const search = useUserSearch(q);
  const results = (search.data?.items ?? []).filter((u) => u.id !== excludeId);

  return (
    <div className="user-search">
      <label>
        {label}
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="user name or name" />
      </label>
      {search.isFetching && <Spinner label="Searching…" />}
      {q && search.isSuccess && results.length === 0 && <p role="status">No one matches “{q}”. Check the spelling of their user name.</p>}
      {results.length > 0 && (
        <ul aria-label="People found">
          {results.map((u) => (
            <li key={u.id}>
              {onPick ? (
                <button type="button" onClick={() => onPick(u)} aria-label={`Choose ${u.firstName} ${u.lastName} (@${u.userName})`}>
                  {u.firstName} {u.lastName} <span className="muted">@{u.userName}</span>
                </button>
              ) : (
                <span>
                  {u.firstName} {u.lastName} <span className="muted">@{u.userName}</span>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A user's display name from their id (cached). */
export function UserName({ id }: { id: string }) {
  const user = useUser(id);
  return <>{user.data ? `${user.data.firstName} ${user.data.lastName}` : id.slice(0, 8)}</>;
}

