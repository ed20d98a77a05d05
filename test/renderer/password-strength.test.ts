import { describe, expect, it } from 'vitest';
import { passwordContext } from '../../electron/contract/passphrase-strength.js';
import { archivePasswordStrength } from '../../electron/core/archive/password-estimator.js';
import { loadPasswordEstimator, strengthOf } from '../../renderer/src/lib/password-strength.svelte.js';

// One policy: the renderer's lazily loaded estimator and the core's give the same verdict.
const CONTEXT = passwordContext({ name: 'esa-frankfurt', host: 'esa01.mailgw.example.de', username: 'xdrsvc' });
const SAMPLE = ['Adm1nistrat0r!', 'C1sco!C1sco!24', 'Ir0nP0rt!2024', 'Passwort2024!', 'qwertz123456', 'mailgw-frankfurt-xdrsvc', 'Grüße aus Köln, Gleis 7 Nord', 'correct horse battery staple', 'k7Vq-9xPz-3mRt', '🦊🐙 Cisco Gletscher Trompete Zwiebel'];

describe('the renderer’s password estimator', () => {
  it('has no verdict until its chunk has loaded, then the core’s verdict for every password', async () => {
    expect(strengthOf('Ir0nP0rt!2024', CONTEXT)).toBeNull();
    await loadPasswordEstimator();
    for (const password of SAMPLE) expect(strengthOf(password, CONTEXT), password).toEqual(await archivePasswordStrength(password, CONTEXT));
    expect(strengthOf('Ir0nP0rt!2024', CONTEXT)).toMatchObject({ acceptable: false, problems: expect.arrayContaining(['leetspeak', 'product-word']) });
  }, 60_000);
});
