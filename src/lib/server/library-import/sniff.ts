import { ImportError } from './import-error';

/**
 * What a file is, from its bytes, and whether its name agrees. The name is what the person chose;
 * the bytes decide how it is read, and a name that says otherwise (a PDF named .txt, a zip named
 * .pdf) is refused rather than guessed around.
 */
export type SourceFormat = 'pdf' | 'docx' | 'markdown' | 'text';

const BY_EXTENSION: Record<string, SourceFormat> = {
	pdf: 'pdf',
	docx: 'docx',
	md: 'markdown',
	markdown: 'markdown',
	txt: 'text',
	text: 'text'
};

export function extensionFormat(name: string): SourceFormat | null {
	const m = /\.([A-Za-z0-9]+)$/u.exec(name.trim());
	return m ? (BY_EXTENSION[m[1]!.toLowerCase()] ?? null) : null;
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
	return magic.every((b, i) => bytes[at + i] === b);
}

/** The format the bytes have: a PDF header, a zip (a DOCX is one), or text; null when binary. */
export function sniffFormat(bytes: Uint8Array): 'pdf' | 'zip' | 'text' | null {
	// A PDF may have a few bytes of junk before its header; readers accept up to 1 kB.
	const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
	if (head.includes('%PDF-')) return 'pdf';
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
	const probe = bytes.subarray(0, 64 * 1024);
	if (probe.includes(0)) return null;
	return 'text';
}

/** The format to read the file as, or an ImportError when name and bytes disagree. */
export function sourceFormat(name: string, bytes: Uint8Array): SourceFormat {
	if (bytes.length === 0) throw new ImportError('empty');
	const claimed = extensionFormat(name);
	if (claimed === null) throw new ImportError('unsupported_format', name);
	const actual = sniffFormat(bytes);
	if (actual === null)
		throw new ImportError(
			claimed === 'text' || claimed === 'markdown' ? 'extension_mismatch' : 'unsupported_format'
		);
	const agrees =
		(claimed === 'pdf' && actual === 'pdf') ||
		(claimed === 'docx' && actual === 'zip') ||
		((claimed === 'text' || claimed === 'markdown') && actual === 'text');
	if (!agrees) throw new ImportError('extension_mismatch', `${name} is ${actual}`);
	return claimed;
}

/**
 * Plain text and Markdown: UTF-8 (with or without a byte-order mark) or Shift_JIS (Windows-31J,
 * what Japanese Windows writes). Decoding is strict: a file that is neither is refused rather
 * than read with replacement characters that would then be quoted.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'shift_jis' } {
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		// not UTF-8: try Shift_JIS
	}
	try {
		return {
			text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes),
			encoding: 'shift_jis'
		};
	} catch {
		throw new ImportError('unknown_encoding');
	}
}
