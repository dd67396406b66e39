/**
 * Keeps a text field in step with a shared text that others edit at the same time, without
 * throwing the local caret around: when the value changes under the caret, the caret moves by
 * exactly the amount inserted or deleted before it.
 */
export function syncField(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
	const prev = el.value;
	if (prev === value) return;
	if (document.activeElement !== el) {
		el.value = value;
		return;
	}
	let start = 0;
	while (start < prev.length && start < value.length && prev[start] === value[start]) start++;
	let endPrev = prev.length;
	let endNext = value.length;
	while (endPrev > start && endNext > start && prev[endPrev - 1] === value[endNext - 1]) {
		endPrev--;
		endNext--;
	}
	const delta = endNext - endPrev;
	const shift = (pos: number | null) =>
		pos === null ? 0 : pos >= endPrev ? pos + delta : Math.min(pos, endNext);
	const s = shift(el.selectionStart);
	const e = shift(el.selectionEnd);
	el.value = value;
	el.setSelectionRange(s, e);
}

/** Svelte action: `<input use:sharedValue={text}>` keeps the field showing the shared text. */
export function sharedValue(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
	el.value = value;
	return {
		update(next: string) {
			syncField(el, next);
		}
	};
}
