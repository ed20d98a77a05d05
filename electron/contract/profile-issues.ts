/** A catalogue key of the profile form's field errors, and its parameters. */
export interface ProfileIssue {
  key: string;
  params?: Record<string, number>;
}

/**
 * The contract's schema words a refused profile field in English (for logs, `--json` and the API).
 * This says which catalogue message of the profile form's field errors means the same, so the form
 * and the CLI show it in the user's language. An issue not known here keeps its English words.
 * `field` is the path inside the profile (`host`, `trust.sha256`), as the form has it.
 */
export function profileIssueKey(field: string, message: string): ProfileIssue | null {
  const tooLong = /can be at most (\d+) characters/.exec(message);
  if (field === 'region') return { key: 'profiles.fieldError.regionMissing' };
  if (field === 'kind') return { key: 'profiles.fieldError.kindInvalid' };
  if (message === 'Give the profile a name') return { key: 'profiles.fieldError.nameMissing' };
  if (message.startsWith('Enter the appliance')) return { key: 'profiles.fieldError.hostMissing' };
  if (message.startsWith('Not a valid DNS name')) return { key: 'profiles.fieldError.hostInvalid' };
  if (message.startsWith('Port must be')) return { key: 'profiles.fieldError.portInvalid' };
  if (message.startsWith('A SHA-256 fingerprint')) return { key: 'profiles.fieldError.pinInvalid' };
  if (message.startsWith('CA file is larger')) return { key: 'profiles.fieldError.caTooLarge' };
  if (message.startsWith('Not a PEM certificate')) return { key: 'profiles.fieldError.caNotPem' };
  if (message.startsWith('The XDR API client ID is printable')) return { key: 'profiles.fieldError.clientIdInvalid' };
  if (/text-direction control characters/.test(message)) return { key: 'profiles.fieldError.bidiCharacters' };
  if (/control characters/.test(message)) return { key: 'profiles.fieldError.controlCharacters' };
  if (tooLong) return { key: 'profiles.fieldError.tooLong', params: { max: Number(tooLong[1]) } };
  return null;
}

/** The same for a request's field path: only a profile's own fields (`profile.host`), as profiles.create and profiles.update send them. */
export function requestIssueKey(field: string | undefined, message: string): ProfileIssue | null {
  return field?.startsWith('profile.') ? profileIssueKey(field.slice('profile.'.length), message) : null;
}
