import { seriousViolations } from './a11y';
import { expect, open, test } from './fixtures';

// Runs in the JavaScript project only: axe runs inside the page.
test.describe('A11Y-01 no serious or critical axe violations in the library', () => {
	for (const path of [
		'/library',
		'/library/cocn-7th-basic-plan-2025',
		'/library/items/im19-166',
		'/library/search?q=人材&kind=proposal',
		'/library/search?q=人材&kind=wish',
		'/library/themes/talent'
	]) {
		test(path, async ({ page }) => {
			// A report outline is hundreds of cards: axe takes seconds on it, more on a busy machine.
			test.slow();
			await open(page, path);
			expect(await seriousViolations(page)).toEqual([]);
		});
	}
});
