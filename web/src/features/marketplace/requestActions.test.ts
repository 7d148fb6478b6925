import { describe, expect, it } from 'vitest';
import { requestActions } from './requestActions';

const labels = (status: string, kind: string, me: string) =>
  requestActions({ status, kind, ownerId: 'owner', requesterId: 'requester' }, me).map((a) => a.label);

describe('request actions follow the state machine', () => {
  it('lets the owner accept or decline a new request and the requester cancel it', () => {
    expect(labels('new', 'hire', 'owner')).toEqual(['Accept', 'Decline']);
    expect(labels('seen', 'hire', 'requester')).toEqual(['Cancel request']);
  });

  it('has the requester pay an accepted request, except for a job, where the employer pays', () => {
    expect(labels('accepted', 'hire', 'requester')).toEqual(['Pay into escrow', 'Cancel request']);
    expect(labels('accepted', 'hire', 'owner')).toEqual(['Decline']);
    expect(labels('accepted', 'apply', 'owner')).toEqual(['Pay into escrow', 'Decline']);
    expect(labels('accepted', 'apply', 'requester')).toEqual(['Cancel request']);
  });

  it('lets either party complete a paid request, and offers nothing on a final one', () => {
    expect(labels('paid', 'buy', 'owner')).toEqual(['Mark completed', 'Decline and refund']);
    expect(labels('paid', 'buy', 'requester')).toEqual(['Mark completed', 'Cancel and get refunded']);
    for (const status of ['completed', 'declined', 'cancelled']) expect(labels(status, 'buy', 'owner')).toEqual([]);
  });
});
