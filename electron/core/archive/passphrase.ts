import { randomInt } from 'node:crypto';

// 31 symbols that survive being read aloud or retyped: no 0/o, 1/l/i.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 6;
const GROUP_LENGTH = 5;

/** A random archive password to show once and send to TAC separately: six groups of five (≈ 148 bits). */
export function generatePassphrase(): { passphrase: string; bits: number } {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return { passphrase: groups.join('-'), bits: Math.floor(GROUPS * GROUP_LENGTH * Math.log2(ALPHABET.length)) };
}
