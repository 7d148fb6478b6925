import { NavLink, Navigate, Outlet, useLocation } from 'react-router-dom';
import { Spinner } from '@/components/ui';
import { useSession } from '@/lib/auth';
import { NotificationsBell } from '@/features/chat/components/NotificationsBell';
import { ChatHubProvider } from '@/features/chat/hooks/hub';

export function ProtectedLayout() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Spinner label="Signing you in…" />;
  if (state.status === 'signedOut') return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  return (
    <ChatHubProvider>
      <header className="top">
        <a className="skip" href="#content">
          Skip to content
        </a>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Home
          </NavLink>
          <NavLink to="/wallet">Wallet</NavLink>
          <NavLink to="/communities">Communities</NavLink>
          <NavLink to="/loans">Loans</NavLink>
          <NavLink to="/marketplace">Marketplace</NavLink>
          <NavLink to="/messages">Messages</NavLink>
          <NavLink to="/profile">Profile</NavLink>
          <NotificationsBell />
        </nav>
      </header>
      <div id="content">
        <Outlet />
      </div>
    </ChatHubProvider>
  );
}
