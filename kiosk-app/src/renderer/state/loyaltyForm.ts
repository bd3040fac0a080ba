/** The loyalty form as the shopper filled it in. */
export interface LoyaltyFields {
  name: string;
  email: string;
  postcode: string;
  terms: boolean;
  marketing: boolean;
}

/** Why a field is not acceptable yet. */
export type LoyaltyFieldError = 'error.required' | 'error.email' | 'error.terms';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the form; an empty result means it can be sent. */
export function validateLoyalty(fields: LoyaltyFields): Partial<Record<keyof LoyaltyFields, LoyaltyFieldError>> {
  const errors: Partial<Record<keyof LoyaltyFields, LoyaltyFieldError>> = {};
  if (fields.name.trim() === '') errors.name = 'error.required';
  if (fields.email.trim() === '') errors.email = 'error.required';
  else if (!EMAIL.test(fields.email.trim()) || fields.email.trim().length > 254) errors.email = 'error.email';
  if (!fields.terms) errors.terms = 'error.terms';
  return errors;
}
