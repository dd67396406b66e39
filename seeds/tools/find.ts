/**
 * Curating aid: shows where a phrase occurs in a source report, in the whitespace-normalised form
 * that quotes are checked against, so a verbatim quote can be copied from the output.
 *   npx tsx seeds/tools/find.ts 004_90b0aa2c3762478d.txt "研究セキュリティ"
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalizeWhitespace } from '../../src/lib/domain/library/quote';
import { reportsDir } from '../paths';

const [file, phrase, width = '120'] = process.argv.slice(2);
if (!file || !phrase) {
	console.error('usage: find.ts <source file name> <phrase> [context chars]');
	process.exit(2);
}
const text = normalizeWhitespace(readFileSync(resolve(reportsDir(), file), 'utf8'));
const needle = normalizeWhitespace(phrase);
const ctx = Number(width);
let at = text.indexOf(needle);
let n = 0;
while (at >= 0 && n < 20) {
	console.log(`@${at}: ${text.slice(Math.max(0, at - ctx), at + needle.length + ctx)}\n`);
	at = text.indexOf(needle, at + 1);
	n++;
}
if (n === 0) console.log('not found');
