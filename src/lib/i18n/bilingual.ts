import type { Locale } from './messages';

export interface InLanguage<T> {
	value: T;
	/** For the element's `lang` attribute, so screen readers and fonts treat the text right. */
	lang: Locale;
}

/**
 * Content that exists in both languages (item and report titles): the UI language's version
 * first, the other second. Japanese content stays on the page in the English UI.
 */
export function bilingual<T>(
	locale: Locale,
	pair: { ja: T; en: T }
): [InLanguage<T>, InLanguage<T>] {
	const ja = { value: pair.ja, lang: 'ja' as const };
	const en = { value: pair.en, lang: 'en' as const };
	return locale === 'en' ? [en, ja] : [ja, en];
}

/**
 * A report's date as precise as the seed gives it (`YYYY-MM` or `YYYY-MM-DD`): 2019年5月 /
 * May 2019. Formatted in UTC so the server's time zone cannot move the day.
 */
export function formatReportDate(date: string, locale: Locale): string {
	const [year = 0, month = 1, day] = date.split('-').map(Number);
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: 'long',
		day: day === undefined ? undefined : 'numeric',
		timeZone: 'UTC'
	}).format(Date.UTC(year, month - 1, day ?? 1));
}
