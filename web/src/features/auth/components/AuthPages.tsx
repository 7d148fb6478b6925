import { useEffect, useRef } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Spinner } from '@/components/ui';
import { useSession } from '@/lib/auth';
import { useVerifyEmail } from '../api/auth';
import { SignInForm } from './SignInForm';
import { SignUpForm } from './SignUpForm';

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const { state } = useSession();
  const next = (location.state as { from?: string } | null)?.from ?? '/';
  if (state.status === 'signedIn') return <Navigate to={next} replace />;
  return (
    <main className="narrow">
      <h1>Sign in to Ahod</h1>
      <SignInForm onDone={() => navigate(next, { replace: true })} />
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </main>
  );
}

export function SignUpPage() {
  const navigate = useNavigate();
  return (
    <main className="narrow">
      <h1>Create your Ahod account</h1>
      <p>Save with friends, pay each other, and pay off your student loans together.</p>
      <SignUpForm onDone={() => navigate('/', { replace: true, state: { welcome: true } })} />
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </main>
  );
}

/** The link from the verification email: /verify-email?email=...&token=... posts both once. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const verify = useVerifyEmail();
  const sent = useRef(false);
  const email = params.get('email') ?? '';
  const token = params.get('token') ?? '';

  useEffect(() => {
    if (!sent.current && email && token) {
      sent.current = true;
      verify.mutate({ email, token });
    }
  }, [email, token, verify]);

  return (
    <main className="narrow">
      <h1>Verify your email</h1>
      {!email || !token ? (
        <p role="alert">This link is incomplete. Open the link from the email again, or ask for a new one from your profile.</p>
      ) : verify.isSuccess ? (
        <p role="status">
          Your email {email} is verified. <Link to="/">Continue to Ahod</Link>
        </p>
      ) : verify.isError ? (
        <ErrorMessage error={verify.error} />
      ) : (
        <Spinner label="Verifying your email…" />
      )}
    </main>
  );
}
