import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch, renderWithProviders } from '@/testing/render';
import { ListingForm } from './ListingForm';

async function fillTutoring(user: ReturnType<typeof userEvent.setup>) {
  await user.selectOptions(screen.getByLabelText('Kind'), 'service');
  await user.selectOptions(screen.getByLabelText('Category'), 'tutoring');
  await user.type(screen.getByLabelText('Title'), 'Calculus tutor');
  await user.type(screen.getByLabelText('Description'), 'Derivatives and integrals, patiently.');
  await user.type(screen.getByLabelText('Price (USD)'), '15.00');
  await user.type(screen.getByLabelText('City'), 'Austin');
  await user.selectOptions(screen.getByLabelText('Level'), 'university');
}

describe('ListingForm', () => {
  it('sends a draft in minor units with the category attributes', async () => {
    const calls = mockFetch({ 'POST /api/listings': (body) => ({ status: 201, body: { id: 'l1', ...(body as object) } }) });
    renderWithProviders(<ListingForm />);
    const user = userEvent.setup();
    await fillTutoring(user);
    await user.type(screen.getByLabelText('Subject'), 'Calculus');
    await user.click(screen.getByRole('button', { name: 'Save as draft' }));
    await screen.findByRole('button', { name: 'Save as draft' });
    expect(calls[0].body).toEqual({
      kind: 'service',
      category: 'tutoring',
      title: 'Calculus tutor',
      description: 'Derivatives and integrals, patiently.',
      price: { amount: 1500, currency: 'USD' },
      priceUnit: 'hour',
      location: { city: 'Austin', region: null, country: 'US' },
      attributes: { level: 'university', subject: 'Calculus' },
      status: 'draft',
    });
  });

  it("shows the server's ProblemDetails field errors next to their fields", async () => {
    mockFetch({
      'POST /api/listings': () => ({
        status: 400,
        body: {
          title: 'One or more validation errors occurred.',
          status: 400,
          errors: { 'attributes.subject': ['Required for tutoring.'], 'location.city': ['Required: 1 to 100 characters.'] },
        },
      }),
    });
    renderWithProviders(<ListingForm />);
    const user = userEvent.setup();
    await fillTutoring(user);
    await user.click(screen.getByRole('button', { name: 'Save as draft' }));

    const subject = await screen.findByLabelText('Subject');
    await screen.findByText('Required for tutoring.');
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    expect(subject).toHaveAccessibleDescription('Required for tutoring.');
    expect(screen.getByLabelText('City')).toHaveAccessibleDescription('Required: 1 to 100 characters.');
    expect(screen.getByLabelText('Title')).not.toHaveAttribute('aria-invalid');
    expect(within(screen.getByRole('form')).getByRole('alert')).toHaveTextContent('One or more validation errors occurred.');
  });

  it('checks the form before sending anything', async () => {
    const calls = mockFetch({});
    renderWithProviders(<ListingForm />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Title'), 'ab');
    await user.type(screen.getByLabelText('Price (USD)'), '1.234');
    await user.click(screen.getByRole('button', { name: 'Save as draft' }));
    expect(screen.getByLabelText('Title')).toHaveAccessibleDescription('At least 3 characters.');
    expect(screen.getByLabelText('Price (USD)')).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });
});
