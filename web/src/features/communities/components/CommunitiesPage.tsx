import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Spinner } from '@/components/ui';
import { formatMoney } from '@/lib/money';
import { useCommunities, useJoinCommunity } from '../api/communities';
import { CreateCommunityForm } from './CreateCommunityForm';

export function CommunitiesPage() {
  const [tab, setTab] = useState<'mine' | 'discover' | 'create'>('mine');
  return (
    <main>
      <h1>Communities</h1>
      <div role="tablist" aria-label="Communities">
        {(
          [
            ['mine', 'My communities'],
            ['discover', 'Discover'],
            ['create', 'Create'],
          ] as const
        ).map(([value, label]) => (
          <button key={value} role="tab" aria-selected={tab === value} onClick={() => setTab(value)} type="button">
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel">{tab === 'create' ? <CreateCommunityForm /> : <CommunityList discover={tab === 'discover'} onCreate={() => setTab('create')} />}</div>
    </main>
  );
}

function CommunityList({ discover, onCreate }: { discover: boolean; onCreate: () => void }) {
  const list = useCommunities(discover);
  const join = useJoinCommunity();
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorMessage error={list.error} />;
  if (list.data.items.length === 0) {
    return discover ? (
      <EmptyState title="No public communities yet">
        <p>Start one and invite your friends.</p>
        <Button onClick={onCreate}>Create a community</Button>
      </EmptyState>
    ) : (
      <EmptyState title="You are in no community yet">
        <p>Create one, discover a public one, or open an invite link a friend sent you.</p>
        <Button onClick={onCreate}>Create a community</Button>
      </EmptyState>
    );
  }
  return (
    <ul className="cards" aria-label={discover ? 'Public communities' : 'My communities'}>
      {list.data.items.map((c) => (
        <li key={c.id} className="card">
          <h2>
            <Link to={`/communities/${c.id}`}>{c.name}</Link>
          </h2>
          <p>{c.bio}</p>
          <p>
            {formatMoney(c.contribution)} {c.frequency} · goal {formatMoney(c.goal)} · {c.memberCount}/{c.maxMembers} members
          </p>
          {discover && !c.myStatus && (
            <Button busy={join.isPending && join.variables?.id === c.id} onClick={() => join.mutate({ id: c.id })} aria-label={`Ask to join ${c.name}`}>
              Ask to join
            </Button>
          )}
          {c.myStatus && <p>Your status: {c.myStatus}</p>}
        </li>
      ))}
      <ErrorMessage error={join.error} />
    </ul>
  );
}
