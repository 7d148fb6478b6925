import type { ListingRequest } from '@/lib/api/types';

export type RequestAction = { status: 'accepted' | 'declined' | 'cancelled' | 'completed'; label: string } | { pay: true; label: string };

/**
 * What I may do with a request, as Marketplace's state machine allows (anything else would be a 409, a move of the
 * other party's a 403): the owner accepts or declines, the requester cancels, the payer pays an accepted request into
 * escrow (the requester; for a job, the employer who owns the listing), either party completes a paid one.
 */
export function requestActions(request: Pick<ListingRequest, 'status' | 'kind' | 'ownerId' | 'requesterId'>, me: string): RequestAction[] {
  const owner = request.ownerId === me;
  const payer = request.kind === 'apply' ? owner : request.requesterId === me;
  const actions: RequestAction[] = [];
  switch (request.status) {
    case 'new':
    case 'seen':
      if (owner) actions.push({ status: 'accepted', label: 'Accept' }, { status: 'declined', label: 'Decline' });
      else actions.push({ status: 'cancelled', label: 'Cancel request' });
      break;
    case 'accepted':
      if (payer) actions.push({ pay: true, label: 'Pay into escrow' });
      actions.push(owner ? { status: 'declined', label: 'Decline' } : { status: 'cancelled', label: 'Cancel request' });
      break;
    case 'paid':
      actions.push({ status: 'completed', label: 'Mark completed' });
      actions.push(owner ? { status: 'declined', label: 'Decline and refund' } : { status: 'cancelled', label: 'Cancel and get refunded' });
      break;
  }
  return actions;
}
