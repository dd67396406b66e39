import type { LaneView } from '$lib/domain/board/doc';
import type { LabelColor } from '$lib/domain/board/schema';
import type { Translate } from '$lib/i18n/translate';

/** A lane's name: what the facilitator typed, or the preset's name in the viewer's language. */
export function laneTitle(lane: Pick<LaneView, 'title' | 'preset'>, t: Translate): string {
	if (lane.title) return lane.title;
	return lane.preset === 'custom' ? '—' : t(`board.lane.${lane.preset}`);
}

/**
 * `ja` for text with kana or kanji, so Chromium breaks it at phrase boundaries (`word-break:
 * auto-phrase` needs the language) whatever the page's language; otherwise the page's own.
 */
export function langOf(text: string): 'ja' | undefined {
	return /[\u3040-\u30ff\u3400-\u9fff]/u.test(text) ? 'ja' : undefined;
}

/** Each label colour as a background with a text colour that keeps 4.5:1 contrast on it. */
export const LABEL_STYLE: Record<LabelColor, { bg: string; fg: string }> = {
	red: { bg: '#fde2e1', fg: '#8c1d18' },
	orange: { bg: '#fde8d4', fg: '#8a3b00' },
	yellow: { bg: '#fbf1c4', fg: '#6b5200' },
	green: { bg: '#dcf2dd', fg: '#1e5e27' },
	teal: { bg: '#d3efec', fg: '#0b5750' },
	blue: { bg: '#dde8fb', fg: '#1d4690' },
	purple: { bg: '#ebe0f8', fg: '#5b2d91' },
	gray: { bg: '#e7e7e4', fg: '#3d4244' }
};
