import { describe, expect, it } from 'vitest';
import { validateLoyalty, type LoyaltyFields } from './loyaltyForm';

const good: LoyaltyFields = { name: 'Ana Ruiz', email: 'ana@example.org', postcode: '', terms: true, marketing: false };

describe('the loyalty form', () => {
  it('given every required field and consent, when checked, then it can be sent', () => {
    expect(validateLoyalty(good)).toEqual({});
  });
  it('given empty fields and no consent, when checked, then each is named', () => {
    expect(validateLoyalty({ ...good, name: ' ', email: '', terms: false })).toEqual({ name: 'error.required', email: 'error.required', terms: 'error.terms' });
  });
  it('given a malformed email, when checked, then the email is refused', () => {
    expect(validateLoyalty({ ...good, email: 'ana@example' })).toEqual({ email: 'error.email' });
  });
  it('given marketing left unticked, when checked, then it is still valid (marketing is optional)', () => {
    expect(validateLoyalty({ ...good, marketing: false })).toEqual({});
  });
});
