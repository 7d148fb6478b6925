/**
 * The wire shapes the web app uses, by the names it uses. Identity's, Payments' and Chat's are aliases of the schemas
 * generated from their OpenAPI documents (generated/<service>.ts, `npm run api:types` from openapi/*.json). Savings' and
 * Marketplace's are still written here (from the services' C# contracts) until their documents are saved in openapi/ by
 * scripts/update-api-types.sh; then they become aliases the same way. Request bodies are Partial: the services treat a
 * nullable field as optional.
 */
import type { components as Chat } from './generated/chat';
import type { components as Identity } from './generated/identity';
import type { components as Payments } from './generated/payments';
import type { Money } from '../money';

export type { Money };
export type User = Identity['schemas']['UserResponse'];
export type AuthResult = Identity['schemas']['AuthResult'];
export type SignUpRequest = Identity['schemas']['SignUpRequest'];
export type SignInRequest = Identity['schemas']['SignInRequest'];
export type UpdateUserRequest = Identity['schemas']['UpdateUserRequest'];

export type Page<T> = { items: T[]; nextCursor: string | null };

// Payments
export type Wallet = Payments['schemas']['WalletView'];
export type Transfer = Payments['schemas']['TransferView'];
export type Withdrawal = Payments['schemas']['WithdrawalView'];
export type HistoryEntry = Payments['schemas']['HistoryEntry'];

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

// Marketplace (from services/Ahod.Marketplace's contracts until its document is generated)
export type ListingImage = { id: string; urls: { thumb: string; card: string; full: string } };
export type Listing = {
  id: string; ownerId: string; kind: string; category: string; title: string; description: string; price: Money; priceUnit: string;
  location: { city?: string | null; region?: string | null; country?: string | null }; attributes: unknown; status: string;
  images: ListingImage[]; rating: { average?: number | null; count: number }; createdAt: string; updatedAt: string;
};
export type CreateListingRequest = Partial<Omit<Listing, 'id' | 'ownerId' | 'images' | 'rating' | 'createdAt' | 'updatedAt'>>;
export type UpdateListingRequest = Omit<CreateListingRequest, 'kind'>;
export type ListingRequest = {
  id: string; listingId: string; requesterId: string; ownerId: string; kind: string; status: string; message: string;
  startDate?: string | null; endDate?: string | null; price: Money; reason?: string | null; payment?: Payment | null; createdAt: string; updatedAt: string;
};
export type Payment = { transferId: string; status: string };
export type CreateRequestBody = { message?: string | null; startDate?: string | null; endDate?: string | null; offeredPrice?: Money | null };
export type Review = { id: string; listingId: string; requestId: string; authorId?: string | null; authorRole: string; rating: number; text: string; createdAt: string };
export type CreateReviewRequest = { requestId: string; rating?: number | null; text?: string | null };
// Chat
export type Message = Chat['schemas']['MessageResponse'];
export type Conversation = Chat['schemas']['ConversationResponse'];
export type ConversationList = Chat['schemas']['PageOfConversationResponse'];
// Request bodies: the server treats every nullable field as optional.
export type CreateConversationRequest = Partial<Chat['schemas']['CreateConversationRequest']>;
export type Notification = Chat['schemas']['NotificationResponse'];
export type NotificationPage = Chat['schemas']['NotificationPage'];
