import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { Button, ErrorMessage, Field } from '@/components/ui';
import { useSession, useUser as useSignedInUser } from '@/lib/auth';
import { useFormErrors } from '@/lib/form';
import { useResendVerification } from '@/features/auth/api/auth';
import { useUpdateProfile } from '../api/users';
import { UserSearch } from './UserSearch';

const schema = z.object({
  userName: z.string().regex(/^[a-z0-9_.-]{3,32}$/, "3-32 characters of a-z, 0-9, '_', '.' and '-'."),
  firstName: z.string().trim().min(1, 'Enter your first name.').max(100),
  lastName: z.string().trim().min(1, 'Enter your last name.').max(100),
});

export function ProfilePage() {
  const user = useSignedInUser();
  const { store } = useSession();
  const update = useUpdateProfile(user.id);
  const resend = useResendVerification();
  const { check, errorFor, formError } = useFormErrors(update.error);
  const [values, setValues] = useState({ userName: user.userName, firstName: user.firstName, lastName: user.lastName });

  function submit(e: FormEvent) {
    e.preventDefault();
    const body = check(schema, values);
    if (body) update.mutate({ ...body, photoUrl: user.photoUrl ?? null });
  }

  return (
    <main>
      <h1>Your profile</h1>
      <section aria-labelledby="me">
        <h2 id="me">
          {user.firstName} {user.lastName} <span className="muted">@{user.userName}</span>
        </h2>
        <p>
          {user.email} {user.emailVerified ? '(verified)' : '(not verified yet)'}
        </p>
        {!user.emailVerified && (
          <Button type="button" busy={resend.isPending} onClick={() => resend.mutate()}>
            Send the verification email again
          </Button>
        )}
        {resend.isSuccess && <p role="status">We sent a new link to {user.email}.</p>}
        <ErrorMessage error={resend.error} />
        <p>Roles: {user.roles.join(', ')}</p>
      </section>
      <form onSubmit={submit} aria-label="Edit profile" noValidate>
        <h2>Edit</h2>
        <Field label="User name" value={values.userName} onChange={(e) => setValues({ ...values, userName: e.target.value })} error={errorFor('userName')} />
        <Field label="First name" value={values.firstName} onChange={(e) => setValues({ ...values, firstName: e.target.value })} error={errorFor('firstName')} />
        <Field label="Last name" value={values.lastName} onChange={(e) => setValues({ ...values, lastName: e.target.value })} error={errorFor('lastName')} />
        <ErrorMessage error={formError} />
        <Button type="submit" busy={update.isPending}>
          Save profile
        </Button>
        {update.isSuccess && <p role="status">Saved.</p>}
      </form>
      <section aria-labelledby="people">
        <h2 id="people">People on Ahod</h2>
        <UserSearch label="Search people" />
      </section>
      <Button type="button" onClick={() => void store.signOut()}>
        Sign out
      </Button>
    </main>
  );
}
