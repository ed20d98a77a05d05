/** README.txt of an archive: what is inside and how to open it with stock tools. */
export function readmeText(mode: 'password' | 'certificate', caseNumber: string | null): string {
  const open =
    mode === 'password'
      ? [
          'This archive is a zip with WinZip AES-256 encryption. The password was sent to you separately.',
          'Open it with 7-Zip (7z x archive.zip), WinZip, or any tool that reads WinZip AES.',
          'If it came in parts (archive.zip.001, .002, ...), 7-Zip opens the .001 part directly,',
          'or join them first: cat archive.zip.0* > archive.zip   (Windows: copy /b archive.zip.001+archive.zip.002 archive.zip)',
        ]
      : [
          'You received this zip inside a CMS EnvelopedData file (.p7m) encrypted to your certificate.',
          'Decrypt it with OpenSSL, then unzip:',
          '  openssl cms -decrypt -inform DER -in archive.p7m -recip cert.pem -inkey key.pem -out archive.zip',
          '  unzip archive.zip',
          'If it came in parts (archive.p7m.001, .002, ...), join them first: cat archive.p7m.0* > archive.p7m',
        ];
  return [
    'Secure Email <-> XDR support archive',
    caseNumber ? `TAC case: ${caseNumber}` : 'TAC case: (none given)',
    '',
    ...open,
    '',
    'Contents',
    '  report.html             Start here: findings with remediation, checks with evidence, HAR findings and timeline.',
    '                          Self-contained and script-free; open it in any browser, offline.',
    '  results/run-NN.json     The check runs, as recorded (no secrets).',
    '  har/capture-NN.har      Sanitised HAR captures (HAR 1.2; Chrome DevTools can import them).',
    '                          Secrets are replaced by [REDACTED:rule:fingerprint]: the same value has the same',
    '                          placeholder in every file of this archive, so a session can still be followed.',
    '  redaction-report.json   What was replaced in each HAR, where (JSON paths) and how often; never the values.',
    '  logs/                   Recent application logs (secrets masked).',
    '  manifest.json           Every file with its size and SHA-256, the profile summary and the run summaries.',
    '',
    'Check the archive: xet archive verify <file> (--password-stdin | --key key.pem --cert cert.pem)',
    'or compare each file with its SHA-256 in manifest.json (sha256sum / certutil -hashfile <file> SHA256).',
    '',
  ].join('\r\n');
}
