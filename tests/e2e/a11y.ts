import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * A11Y-01: axe with the WCAG 2.0–2.2 A/AA rules. Returns the serious and critical violations,
 * summarised so a failure says which rule and which elements.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
	const r = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	return r.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
