import type { LaneView } from '$lib/domain/board/doc';
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
