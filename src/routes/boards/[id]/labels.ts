import type { LaneView } from '$lib/domain/board/doc';
import type { Translate } from '$lib/i18n/translate';

/** A lane's name: what the facilitator typed, or the preset's name in the viewer's language. */
export function laneTitle(lane: Pick<LaneView, 'title' | 'preset'>, t: Translate): string {
	if (lane.title) return lane.title;
	return lane.preset === 'custom' ? '—' : t(`board.lane.${lane.preset}`);
}
