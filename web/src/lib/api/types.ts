/**
 * The wire shapes the web app uses. Identity's come from its OpenAPI document (generated/identity.ts, made by
 * `npm run api:types`); Payments' and Savings' are written here from PRODUCT.md until those services serve an OpenAPI
 * document, then generated the same way (scripts/generate-api-types.mjs picks up every document in openapi/).
 */
import type { components as Identity } from './generated/identity';
import type { Money } from '../money';

export type { Money };
export type User = Identity['schemas']['UserResponse'];
export type AuthResult = Identity['schemas']['AuthResult'];
export type SignUpRequest = Identity['schemas']['SignUpRequest'];
export type SignInRequest = Identity['schemas']['SignInRequest'];
export type UpdateUserRequest = Identity['schemas']['UpdateUserRequest'];

export type Page<T> = { items: T[]; nextCursor: string | null };

// Payments
export type Wallet = { id: string; currency: string; available: Money; pending: Money; status: string };
export type Transfer = {
  id: string;
  status: 'pending' | 'posted' | 'voided' | 'expired' | 'declined' | string;
  amount: Money;
  debitAccountId: string;
  creditAccountId: string;
  code: string;
  pendingId?: string | null;
  timeoutAt?: string | null;
  metadata?: Record<string, unknown> | null;
  createdAt: string;
};
export type HistoryEntry = {
  id: string;
  transferId: string;
  accountId: string;
  amount: Money;
  pending: boolean;
  balanceAfter: Money;
  code: string;
  status: string;
  createdAt: string;
};

// Savings
export type Frequency = 'weekly' | 'biweekly' | 'monthly';
export type PayoutMethod = 'rotation' | 'randomDraw' | 'bidding';
export type Member = {
  userId: string;
  role: string;
  status: string;
  joinedAt?: string | null;
  rotationPosition?: number | null;
  strikes: number;
  receivedThisSeason: boolean;
};
export type CycleSummary = {
  number: number;
  season: number;
  dueAt: string;
  status: string;
  paid: string[];
  unpaid: string[];
  recipient?: string | null;
  nextInRotation?: string | null;
};
export type Community = {
  id: string;
  name: string;
  bio: string;
  goal: Money;
  contribution: Money;
  frequency: Frequency;
  payoutMethod: PayoutMethod;
  maxMembers: number;
  isPrivate: boolean;
  inviteCode?: string | null;
  potAccountId?: string | null;
  season: number;
  rules: { graceDays: number; lateFee: Money; strikesUntilSuspension: number; autoClose: boolean };
  myRole?: string | null;
  myStatus?: string | null;
  members: Member[];
  currentCycle?: CycleSummary | null;
  progress: { goal: Money; contributed: Money; paidOut: Money; inPot: Money; percentOfGoal: number };
  createdAt: string;
};
export type CommunityListItem = Pick<
  Community,
  'id' | 'name' | 'bio' | 'goal' | 'contribution' | 'frequency' | 'payoutMethod' | 'maxMembers' | 'isPrivate' | 'myStatus' | 'createdAt'
> & { memberCount: number };
export type Membership = { communityId: string; userId: string; role: string; status: string; joinedAt?: string | null };
export type Cycle = {
  number: number;
  season: number;
  opensAt: string;
  dueAt: string;
  lateAfter: string;
  status: string;
  contributions: { memberUserId: string; paidByUserId: string; amount: Money; lateFee: Money; paidAt: string }[];
  late: string[];
  unpaid: string[];
  recipient?: string | null;
  payout?: Money | null;
  disbursements: { userId: string; kind: string; amount: Money; transferId: string; status: string }[];
  closedAt?: string | null;
};
export type Contribution = { id: string; communityId: string; cycleNumber: number; amount: Money; lateFee: Money; late: boolean; transferId: string; createdAt: string };
export type Plea = {
  id: string;
  communityId: string;
  userId: string;
  title: string;
  body: string;
  status: string;
  inFavor: number;
  against: number;
  electorate: number;
  createdAt: string;
  decidedAt?: string | null;
};
export type Loan = {
  id: string;
  servicer: string;
  principal: Money;
  balance: Money;
  rateBasisPoints: number;
  dueDay: number;
  monthlyPayment: Money;
  paidViaAhod: Money;
  percentPaid: number;
  projection?: { payments: number; totalInterest: Money; lastPayment: Money; payoffDate: string } | null;
  payments: { id: string; amount: Money; source: string; communityId?: string | null; cycleNumber?: number | null; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
};
export type LoansPage = Page<Loan> & {
  communities: { communityId: string; name: string; goal: Money; contributed: Money; received: Money; percentOfGoal: number }[];
};

// Marketplace and chat: from PRODUCT.md's contract (those services are being built; not yet reachable through the gateway).
export type Image = { id: string; urls: { thumb: string; card: string; full: string } };
export type Listing = {
  id: string;
  ownerId: string;
  kind: 'sale' | 'rent' | 'job' | 'service';
  category: string;
  title: string;
  description: string;
  price: Money;
  priceUnit: 'item' | 'hour' | 'day' | 'week' | 'month';
  location: { city?: string; region?: string; country?: string };
  attributes: Record<string, unknown>;
  status: 'draft' | 'published' | 'closed';
  images: Image[];
  rating: { average: number; count: number };
  createdAt: string;
  updatedAt: string;
};
export type Message = { id: string; conversationId: string; seq: number; senderId: string; clientMessageId: string; text: string; sentAt: string };
export type Conversation = {
  id: string;
  type: 'direct' | 'listing' | 'community';
  participants: string[];
  title: string;
  lastMessage?: Message | null;
  unread: number;
};
export type Notification = { id: string; type: string; title: string; body: string; data: Record<string, unknown>; createdAt: string; readAt?: string | null };
