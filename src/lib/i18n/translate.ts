import { IntlMessageFormat } from 'intl-messageformat';
import { catalogues, type Locale, type MessageKey } from './messages';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const compiled = new Map<string, IntlMessageFormat>();

/**
 * A translator bound to one locale. Pages get it from their layout data, never from a global
 * store: server rendering handles requests of both languages at once.
 */
export function translator(locale: Locale): Translate {
	return (key, params) => {
		const source = catalogues[locale][key];
		if (!params) return source;
		const id = `${locale}\u0000${key}`;
		let fmt = compiled.get(id);
		if (!fmt) {
			fmt = new IntlMessageFormat(source, locale);
			compiled.set(id, fmt);
		}
		return String(fmt.format(params));
	};
}

/** Japanese for browsers that prefer it, English otherwise (unless the user chose). */
export function negotiateLocale(acceptLanguage: string | null): Locale {
	if (!acceptLanguage) return 'ja';
	const ranked = acceptLanguage
		.split(',')
		.map((part) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
		})
		.filter((x) => x.tag && x.q > 0)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
		if (tag === 'en' || tag.startsWith('en-')) return 'en';
	}
	return ranked.length > 0 ? 'en' : 'ja';
}
