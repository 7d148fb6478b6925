/**
 * The wire shapes the web app uses, by the names it uses: aliases of the schemas generated from each service's OpenAPI
 * document (generated/<service>.ts; `bash scripts/update-api-types.sh` saves the documents in openapi/ from the running
 * services and regenerates, `npm run api:types` regenerates from the saved ones). Request bodies are Partial: the
 * services treat a nullable field as optional.
 */
import type { components as Chat } from './generated/chat';
import type { components as Identity } from './generated/identity';
import type { components as Marketplace } from './generated/marketplace';
import type { components as Payments } from './generated/payments';
import type { components as Savings } from './generated/savings';
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
export type Member = Savings['schemas']['MemberResponse'];
export type CycleSummary = Savings['schemas']['CycleSummary'];
export type Community = Savings['schemas']['CommunityResponse'];
export type CommunityListItem = Savings['schemas']['CommunityListItem'];
export type Membership = Savings['schemas']['MembershipResponse'];
export type Cycle = Savings['schemas']['CycleResponse'];
export type Contribution = Savings['schemas']['ContributionResponse'];
export type Plea = Savings['schemas']['PleaResponse'];
export type Loan = Savings['schemas']['LoanResponse'];
export type LoansPage = Savings['schemas']['LoansPage'];

// Marketplace
export type ListingImage = Marketplace['schemas']['ImageResponse'];
export type Listing = Marketplace['schemas']['ListingResponse'];
export type CreateListingRequest = Partial<Marketplace['schemas']['CreateListingRequest']>;
export type UpdateListingRequest = Partial<Marketplace['schemas']['UpdateListingRequest']>;
export type ListingRequest = Marketplace['schemas']['RequestResponse'];
export type Payment = Marketplace['schemas']['PaymentResponse'];
export type CreateRequestBody = Partial<Marketplace['schemas']['CreateRequestBody']>;
export type Review = Marketplace['schemas']['ReviewResponse'];
export type CreateReviewRequest = Partial<Marketplace['schemas']['CreateReviewRequest']> & Pick<Marketplace['schemas']['CreateReviewRequest'], 'requestId'>;
// Chat
export type Message = Chat['schemas']['MessageResponse'];
export type Conversation = Chat['schemas']['ConversationResponse'];
export type ConversationList = Chat['schemas']['PageOfConversationResponse'];
// Request bodies: the server treats every nullable field as optional.
export type CreateConversationRequest = Partial<Chat['schemas']['CreateConversationRequest']>;
export type Notification = Chat['schemas']['NotificationResponse'];
export type NotificationPage = Chat['schemas']['NotificationPage'];
