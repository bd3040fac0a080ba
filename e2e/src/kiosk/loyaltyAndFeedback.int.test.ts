import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { goHome } from './journeys';
import { openSealedBox } from './openSealedBox';
import { startKiosk, startSession, type KioskUnderTest } from './kioskHarness';

const NAME = 'Zoe Quintana';
const EMAIL = 'zoe.q@example.org';

describe('journey: loyalty enrolment', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await startSession(kiosk.page);
    await kiosk.page.getByTestId('tile-loyalty').click();
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given an empty form, when sent, then each required field and the consent say what is missing', async () => {
    const { page } = kiosk;
    await page.getByTestId('loyalty-submit').click();
    await expect(page.getByTestId('loyalty-name-error').textContent()).resolves.toBe('Please fill in this field');
    await expect(page.getByTestId('loyalty-email-error').textContent()).resolves.toBe('Please fill in this field');
    await expect(page.getByTestId('loyalty-terms-error').textContent()).resolves.toBe('Please accept the terms to join');
    expect(await checkScreen(page, 'loyalty', 'errors')).toEqual([]);
  });

  it('given a malformed email typed on the on-screen keyboard, when sent, then the email is refused', async () => {
    const { page } = kiosk;
    await page.getByTestId('loyalty-email').focus();
    for (const key of ['z', 'o', 'e', '@', 'x']) await page.getByRole('button', { name: key, exact: true }).click();
    await expect(page.getByTestId('loyalty-email').inputValue()).resolves.toBe('zoe@x');
    await page.getByTestId('loyalty-submit').click();
    await expect(page.getByTestId('loyalty-email-error').textContent()).resolves.toBe('Please enter a valid email address');
  });

  it('given valid fields and consent, when sent, then the shopper is welcomed and only sealed PII reaches the outbox', async () => {
    const { page } = kiosk;
    await page.getByTestId('loyalty-name').fill(NAME);
    await page.getByTestId('loyalty-email').fill(EMAIL);
    await page.getByTestId('loyalty-terms').check();
    expect(await checkScreen(page, 'loyalty', 'filled')).toEqual([]);
    await page.getByTestId('loyalty-submit').click();
    await page.getByTestId('loyalty-done').waitFor();
    expect(await checkScreen(page, 'loyalty', 'done')).toEqual([]);
    const enrolled = await kiosk.waitForEvent('mall.loyalty.enrolled');
    expect(enrolled.data.consent).toEqual({ terms: true, marketing: false, textVersion: '2026-01' });
    expect(enrolled.data.emailHash).toBe(createHash('sha256').update(EMAIL).digest('hex'));
    expect(openSealedBox(enrolled.data.sealedPii, kiosk.cloudKey.privateKey, kiosk.cloudKey.publicKey)).toEqual({ name: NAME, email: EMAIL });
    const everything = JSON.stringify(kiosk.outboxEvents());
    expect(everything).not.toContain(NAME);
    expect(everything).not.toContain(EMAIL);
  });
});

describe('journey: feedback', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await startSession(kiosk.page);
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given the feedback screen, when a rating and a comment are sent, then thanks show and mall.feedback.submitted holds both', async () => {
    const { page } = kiosk;
    await goHome(page);
    await page.getByTestId('tile-feedback').click();
    await expect(page.getByTestId('feedback-submit').isDisabled()).resolves.toBe(true);
    await page.getByTestId('star-4').click();
    await page.getByTestId('feedback-comment').fill('Easy to find the lifts');
    expect(await checkScreen(page, 'feedback', 'form')).toEqual([]);
    await page.getByTestId('feedback-submit').click();
    await page.getByTestId('feedback-done').waitFor();
    expect(await checkScreen(page, 'feedback', 'done')).toEqual([]);
    const event = await kiosk.waitForEvent('mall.feedback.submitted');
    expect(event.data).toMatchObject({ rating: 4, comment: 'Easy to find the lifts' });
  });
});
