import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, ErrorMessage, Field } from '@/components/ui';
import { useJoinCommunity } from '../api/communities';

/** The invite link: /communities/join?community=<id>&code=<code> (both can be typed in too). */
export function JoinPage() {
  const [params] = useSearchParams();
  const join = useJoinCommunity();
  const [community, setCommunity] = useState(params.get('community') ?? '');
  const [code, setCode] = useState(params.get('code') ?? '');

  function submit(e: FormEvent) {
    e.preventDefault();
    join.mutate({ id: community.trim(), inviteCode: code.trim() });
  }

  return (
    <main className="narrow">
      <h1>Join a community</h1>
      {join.isSuccess ? (
        <p role="status">
          {join.data.status === 'active' ? 'You are in!' : 'Your request was sent; an admin will approve it.'}{' '}
          <Link to={`/communities/${join.data.communityId}`}>Open the community</Link>
        </p>
      ) : (
        <form onSubmit={submit} aria-label="Join a community">
          <Field label="Community" value={community} onChange={(e) => setCommunity(e.target.value)} hint="From the invite link" />
          <Field label="Invite code" value={code} onChange={(e) => setCode(e.target.value)} />
          <ErrorMessage error={join.error} />
          <Button type="submit" busy={join.isPending} disabled={!community}>
            Join
          </Button>
        </form>
      )}
    </main>
  );
}
