import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { genericParams, normalizeText, triage, triageResult } from '../../../electron/core/checks/triage.js';

const knowledge = loadKnowledge(defaultResourcesDir());
const ids = (text: string) => triage(knowledge, text).map((m) => m.pattern.id);

describe('triage of pasted error messages', () => {
  it.each([
    ['Registration failed because of an invalid or expired token.', 'registration-token-invalid', 'en'],
    ['Die Registrierung ist aufgrund eines ungültigen oder abgelaufenen Tokens fehlgeschlagen', 'registration-token-invalid', 'de'],
    ['There was a problem. Try again later.', 'problem-try-later', 'en'],
    ['Es gab ein Problem. Versuchen Sie es später erneut.', 'problem-try-later', 'de'],
    ['There was a client error in the Secure Email module: E4017: Device is offline [409]', 'device-offline', 'en'],
    ['Es gab einen Client-Fehler im Secure Email-Modul: E4017: Gerät ist offline [409]', 'device-offline', 'de'],
    ['There was an unexpected error on the Secure Email module', 'module-unexpected-error', 'en'],
    ['Es gab einen unerwarteten Fehler auf dem sicheren E-Mail-Modul', 'module-unexpected-error', 'de'],
  ])('recognises %j', (text, pattern, language) => {
    const matches = triage(knowledge, text);
    expect(matches.map((m) => m.pattern.id)).toEqual([pattern]);
    expect(matches[0]!.language).toBe(language);
  });

  it('tolerates case, quotes, line breaks, extra spaces and surrounding text', () => {
    expect(ids('Screenshot says: „ES GAB EINEN unerwarteten\r\n   Fehler auf dem sicheren E-Mail-Modul“ — since Monday')).toEqual(['module-unexpected-error']);
    expect(ids('Error: "Registration failed because of an\ninvalid or expired token"  (tried twice)')).toEqual(['registration-token-invalid']);
    expect(ids('’E4017:   Device is OFFLINE [409]’')).toEqual(['device-offline']);
    expect(normalizeText('A\u00a0“B”\n\tC–D')).toBe('a b c-d');
    // The excerpt is shown as pasted, not folded.
    expect(triage(knowledge, 'Tile: „Es gab einen unerwarteten\nFehler auf dem sicheren E-Mail-Modul“')[0]!.excerpt).toBe('Es gab einen unerwarteten Fehler auf dem sicheren E-Mail-Modul');
    expect(triage(knowledge, 'x There was a client error in the Secure Email module: Timeout [504] y')[0]!.excerpt).toBe('There was a client error in the Secure Email module: Timeout [504]');
  });

  it('reads the generic “… [NNN]” module error and maps its status to causes and checks', () => {
    const [m] = triage(knowledge, 'There was a client error in the Secure Email module: Unauthorized [401]');
    expect(m!.pattern.id).toBe('module-client-error');
    expect(m!.httpStatus).toBe(401);
    expect(m!.candidates).toContain('API_AUTH_REJECTED');
    expect(m!.checks).toContain('api-auth');
    const de = triage(knowledge, 'Es gab einen Client-Fehler im Secure Email-Modul: Zeitüberschreitung [503]')[0]!;
    expect([de.language, de.httpStatus, de.checks.includes('api-health')]).toEqual(['de', 503, true]);
    const result = triageResult(knowledge, 'There was a client error in the Secure Email module: Unauthorized [401]', 'esa', genericParams(knowledge));
    expect(result.matches[0]!.findings.map((f) => f.code)).toEqual(['MODULE_CLIENT_ERROR', 'API_AUTH_REJECTED', 'API_SESSION_EXPIRED']);
    expect(result.matches[0]!.findings[0]!.title.en).toBe('XDR module error: Unauthorized [401]');
    expect(result.matches[0]!.excerpt).toBe('There was a client error in the Secure Email module: Unauthorized [401]');
  });

  it('prefers the specific E4017 message over the generic module-error shape', () => {
    expect(ids('There was a client error in the Secure Email module: E4017: Device is offline [409]')).toEqual(['device-offline']);
  });

  it('says so for an unknown text and suggests running the checks', () => {
    const result = triageResult(knowledge, 'The printer is on fire', 'esa', genericParams(knowledge));
    expect(result.matched).toBe(false);
    expect(result.advice.en).toMatch(/Run all checks/);
    expect(result.advice.de).toMatch(/Führen Sie alle Prüfungen aus/);
  });

  it('shows the CES remediation when the kind is CES', () => {
    const ces = triageResult(knowledge, 'unexpected error on the Secure Email module', 'ces', genericParams(knowledge));
    const esa = triageResult(knowledge, 'unexpected error on the Secure Email module', 'esa', genericParams(knowledge));
    const first = (r: typeof ces) => r.matches[0]!.findings.find((f) => f.code === 'MODULE_UNEXPECTED_ERROR')!.remediation.en.join(' ');
    expect(first(ces)).toMatch(/only Cisco TAC/);
    expect(first(esa)).toMatch(/Network → IP Interfaces/);
  });
});
