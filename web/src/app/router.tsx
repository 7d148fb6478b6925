import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { SignInPage, SignUpPage, VerifyEmailPage } from '@/features/auth/components/AuthPages';
import { ProtectedLayout } from './Layout';
import { HomePage } from './routes/Home';

/** The first pages (sign-in, sign-up, home) are in the main bundle; every other page loads on demand. */
export const routes = [
  { path: '/signin', element: <SignInPage /> },
  { path: '/signup', element: <SignUpPage /> },
  { path: '/verify-email', element: <VerifyEmailPage /> },
  {
    element: <ProtectedLayout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/profile', lazy: async () => ({ Component: (await import('@/features/users/components/ProfilePage')).ProfilePage }) },
      { path: '/wallet', lazy: async () => ({ Component: (await import('@/features/wallets/components/WalletPage')).WalletPage }) },
      { path: '/wallet/transfers/:id', lazy: async () => ({ Component: (await import('@/features/wallets/components/TransferPage')).TransferPage }) },
      { path: '/communities', lazy: async () => ({ Component: (await import('@/features/communities/components/CommunitiesPage')).CommunitiesPage }) },
      { path: '/communities/join', lazy: async () => ({ Component: (await import('@/features/communities/components/JoinPage')).JoinPage }) },
      { path: '/communities/:id', lazy: async () => ({ Component: (await import('@/features/communities/components/CommunityPage')).CommunityPage }) },
      { path: '/loans', lazy: async () => ({ Component: (await import('@/features/loans/components/LoansPage')).LoansPage }) },
      { path: '/marketplace', lazy: async () => ({ Component: (await import('@/features/marketplace/components/MarketplacePage')).MarketplacePage }) },
      { path: '/marketplace/new', lazy: async () => ({ Component: (await import('@/features/marketplace/components/ListingPages')).NewListingPage }) },
      { path: '/marketplace/requests', lazy: async () => ({ Component: (await import('@/features/marketplace/components/RequestsPage')).RequestsPage }) },
      { path: '/marketplace/:id', lazy: async () => ({ Component: (await import('@/features/marketplace/components/ListingPages')).ListingPage }) },
      { path: '/marketplace/:id/edit', lazy: async () => ({ Component: (await import('@/features/marketplace/components/ListingPages')).EditListingPage }) },
      { path: '/messages', lazy: async () => ({ Component: (await import('@/features/chat/components/ChatPages')).ConversationsPage }) },
      { path: '/messages/:id', lazy: async () => ({ Component: (await import('@/features/chat/components/ChatPages')).ConversationPage }) },
      { path: '/notifications', lazy: async () => ({ Component: (await import('@/features/chat/components/NotificationsPage')).NotificationsPage }) },
      { path: '*', element: <NotFound /> },
    ],
  },
];

function NotFound() {
  return (
    <main>
      <h1>Page not found</h1>
      <p>
        That page does not exist. <a href="/">Go home</a>
      </p>
    </main>
  );
}

export function AppRouter() {
  return <RouterProvider router={createBrowserRouter(routes)} />;
}
