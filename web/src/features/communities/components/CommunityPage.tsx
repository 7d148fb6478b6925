import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Field, Spinner, StatusBadge } from '@/components/ui';
import { newIdempotencyKey } from '@/lib/api-client';
import type { Community } from '@/lib/api/types';
import { useUser } from '@/lib/auth';
import { formatMoney } from '@/lib/money';
import { UserName } from '@/features/users/components/UserSearch';
import { useApproveMember, useCommunity, useContribute, useCreatePlea, useCycles, useInvite, usePayout, usePleas, useVote } from '../api/communities';

export function CommunityPage() {
  const { id = '' } = useParams();
  const community = useCommunity(id);
  if (community.isPending) return <Spinner label="Loading the community…" />;
  if (community.isError) return <ErrorMessage error={community.error} />;
  const c = community.data;
  const isMember = c.myStatus === 'active' || c.myStatus === 'suspended';
  const isAdmin = c.myRole === 'admin';
  return (
    <main>
      <p>
        <Link to="/communities">← Communities</Link>
      </p>
      <h1>{c.name}</h1>
      <p>{c.bio}</p>
      <section aria-label="Progress">
        <p>
          {formatMoney(c.contribution)} {c.frequency} · payout by {c.payoutMethod} · {c.members.filter((m) => m.status === 'active').length}/{c.maxMembers}{' '}
          members
        </p>
        <label>
          Progress toward {formatMoney(c.goal)}
          <progress max={100} value={c.progress.percentOfGoal} aria-valuetext={`${c.progress.percentOfGoal}%`} />
        </label>
        <p>
          Contributed {formatMoney(c.progress.contributed)} · in the pot {formatMoney(c.progress.inPot)} · paid out {formatMoney(c.progress.paidOut)}
        </p>
      </section>
      {!isMember && <p role="status">Your membership: {c.myStatus ?? 'not a member'}.</p>}
      {isMember && <Contribute community={c} />}
      {c.inviteCode && <InvitePanel community={c} />}
      <Members community={c} isAdmin={isAdmin} />
      {isMember && <Cycles community={c} isAdmin={isAdmin} />}
      {isMember && <Pleas community={c} />}
    </main>
  );
}

function Contribute({ community }: { community: Community }) {
  const me = useUser();
  const contribute = useContribute();
  const key = useRef(newIdempotencyKey());
  const cycle = community.currentCycle;
  if (!cycle) return <p>No cycle is open yet: it starts when the community has its members.</p>;
  const paid = cycle.paid.includes(me.id);
  return (
    <section aria-labelledby="contribute">
      <h2 id="contribute">Cycle {cycle.number}</h2>
      <p>
        Due {new Date(cycle.dueAt).toLocaleDateString()} · <StatusBadge status={cycle.status} />
        {cycle.recipient && (
          <>
            {' '}
            · payout to <UserName id={cycle.recipient} />
          </>
        )}
      </p>
      {paid || contribute.isSuccess ? (
        <p role="status">You paid your contribution for this cycle.</p>
      ) : (
        <Button busy={contribute.isPending} onClick={() => contribute.mutate({ id: community.id, key: key.current })}>
          Pay my contribution ({formatMoney(community.contribution)})
        </Button>
      )}
      <ErrorMessage error={contribute.error} />
    </section>
  );
}

function InvitePanel({ community }: { community: Community }) {
  const invite = useInvite();
  const [email, setEmail] = useState('');
  const link = `${window.location.origin}/communities/join?community=${community.id}&code=${encodeURIComponent(community.inviteCode ?? '')}`;
  function submit(e: FormEvent) {
    e.preventDefault();
    invite.mutate({ id: community.id, email }, { onSuccess: () => setEmail('') });
  }
  return (
    <section aria-labelledby="invite">
      <h2 id="invite">Invite</h2>
      <p>
        Invite code: <code aria-label="Invite code">{community.inviteCode}</code>
      </p>
      <Field label="Invite link" readOnly value={link} onFocus={(e) => e.target.select()} />
      <form onSubmit={submit} aria-label="Invite by email">
        <Field label="Friend's email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <ErrorMessage error={invite.error} />
        <Button type="submit" busy={invite.isPending}>
          Send invite
        </Button>
        {invite.isSuccess && <p role="status">Invite sent.</p>}
      </form>
    </section>
  );
}

function Members({ community, isAdmin }: { community: Community; isAdmin: boolean }) {
  const approve = useApproveMember();
  const late = new Set(community.currentCycle?.unpaid ?? []);
  return (
    <section aria-labelledby="members">
      <h2 id="members">Members</h2>
      <ul aria-label="Members">
        {community.members.map((m) => (
          <li key={m.userId}>
            <UserName id={m.userId} /> · {m.role} · <StatusBadge status={m.status} />
            {m.strikes > 0 && ` · ${m.strikes} strike(s)`}
            {community.currentCycle && m.status === 'active' && (late.has(m.userId) ? ' · not paid yet' : ' · paid')}
            {isAdmin && m.status === 'pending' && (
              <>
                {' '}
                <Button busy={approve.isPending} onClick={() => approve.mutate({ id: community.id, userId: m.userId, approve: true })}>
                  Approve
                </Button>{' '}
                <Button onClick={() => approve.mutate({ id: community.id, userId: m.userId, approve: false })}>Decline</Button>
              </>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={approve.error} />
    </section>
  );
}

function Cycles({ community, isAdmin }: { community: Community; isAdmin: boolean }) {
  const cycles = useCycles(community.id);
  const payout = usePayout();
  if (cycles.isPending) return <Spinner label="Loading cycles…" />;
  if (cycles.isError) return <ErrorMessage error={cycles.error} />;
  return (
    <section aria-labelledby="cycles">
      <h2 id="cycles">Cycles and payouts</h2>
      {cycles.data.items.length === 0 ? (
        <EmptyState title="No cycles yet">
          <p>The first cycle opens once members have joined.</p>
        </EmptyState>
      ) : (
        <table>
          <caption className="visually-hidden">Cycles</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Due</th>
              <th scope="col">Paid</th>
              <th scope="col">Late</th>
              <th scope="col">Payout</th>
            </tr>
          </thead>
          <tbody>
            {cycles.data.items.map((c) => (
              <tr key={`${c.season}-${c.number}`}>
                <td>{c.number}</td>
                <td>{new Date(c.dueAt).toLocaleDateString()}</td>
                <td>{c.contributions.length}</td>
                <td>
                  {c.late.map((u) => (
                    <UserName key={u} id={u} />
                  ))}
                </td>
                <td>
                  {c.recipient ? <UserName id={c.recipient} /> : '—'} {c.payout && formatMoney(c.payout)} <StatusBadge status={c.status} />
                  {isAdmin && c.status === 'open' && (
                    <Button busy={payout.isPending} onClick={() => payout.mutate({ id: community.id, number: c.number })}>
                      Close cycle {c.number} and pay out
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={payout.error} />
    </section>
  );
}

function Pleas({ community }: { community: Community }) {
  const pleas = usePleas(community.id);
  const create = useCreatePlea();
  const vote = useVote();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ id: community.id, title, body }, { onSuccess: () => { setTitle(''); setBody(''); } });
  }
  return (
    <section aria-labelledby="pleas">
      <h2 id="pleas">Pleas</h2>
      {pleas.data?.items.length === 0 && <p>No pleas. Ask the group for something, like an earlier payout.</p>}
      <ul aria-label="Pleas">
        {pleas.data?.items.map((p) => (
          <li key={p.id}>
            <strong>{p.title}</strong> <StatusBadge status={p.status} /> — {p.body}
            <br />
            {p.inFavor} for, {p.against} against of {p.electorate}
            {p.status === 'open' && (
              <>
                {' '}
                <Button onClick={() => vote.mutate({ id: community.id, pleaId: p.id, inFavor: true })} aria-label={`Vote for ${p.title}`}>
                  For
                </Button>{' '}
                <Button onClick={() => vote.mutate({ id: community.id, pleaId: p.id, inFavor: false })} aria-label={`Vote against ${p.title}`}>
                  Against
                </Button>
              </>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={vote.error} />
      <form onSubmit={submit} aria-label="Ask the group">
        <Field label="Plea title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <Field label="What you ask for" value={body} onChange={(e) => setBody(e.target.value)} />
        <ErrorMessage error={create.error} />
        <Button type="submit" busy={create.isPending}>
          Ask
        </Button>
      </form>
    </section>
  );
}
