import { Link, useLocation } from 'react-router-dom';
import { useUser } from '@/lib/auth';

export function HomePage() {
  const user = useUser();
  const welcome = (useLocation().state as { welcome?: boolean } | null)?.welcome;
  return (
    <main>
      <h1>Hi, {user.firstName}</h1>
      {welcome && (
        <p role="status">
          Welcome to Ahod! We sent a verification link to {user.email}; open it to verify your email.
        </p>
      )}
      <ul className="cards" aria-label="Shortcuts">
        <li className="card">
          <Link to="/wallet">Wallet</Link>
          <p>Add money, send it to friends, withdraw.</p>
        </li>
        <li className="card">
          <Link to="/communities">Communities</Link>
          <p>Save together and take turns receiving the pot.</p>
        </li>
        <li className="card">
          <Link to="/loans">Student loans</Link>
          <p>See when your loan will be paid off.</p>
        </li>
      </ul>
    </main>
  );
}
