import { locateQuote, normalizeWhitespace } from './quote';
import { seedFile, type SeedFile } from './seed-schema';

export interface SeedProblem {
	where: string;
	message: string;
}

/**
 * Checks one parsed seed file beyond its schema: unique ids, references that resolve, the item
 * hierarchy free of cycles, and (when the source text is given) every quote found verbatim.
 */
export function validateSeed(
	raw: unknown,
	source: string | null
): { seed: SeedFile | null; problems: SeedProblem[] } {
	const parsed = seedFile.safeParse(raw);
	if (!parsed.success) {
		return {
			seed: null,
			problems: parsed.error.issues.map((i) => ({ where: i.path.join('.'), message: i.message }))
		};
	}
	const seed = parsed.data;
	const problems: SeedProblem[] = [];
	const { prefix } = seed.report;

	const sections = new Set<string>();
	for (const s of seed.outline) {
		if (sections.has(s.id)) problems.push({ where: s.id, message: 'duplicate section id' });
		if (!s.id.startsWith(`${prefix}-s`))
			problems.push({ where: s.id, message: `section id must start with ${prefix}-s` });
		sections.add(s.id);
	}
	for (const s of seed.outline) {
		if (s.parent !== null && !sections.has(s.parent))
			problems.push({ where: s.id, message: `unknown parent section ${s.parent}` });
	}

	const items = new Map(seed.items.map((i) => [i.id, i]));
	if (items.size !== seed.items.length) {
		const seen = new Set<string>();
		for (const i of seed.items) {
			if (seen.has(i.id)) problems.push({ where: i.id, message: 'duplicate item id' });
			seen.add(i.id);
		}
	}
	const normalized = source === null ? null : normalizeWhitespace(source);
	for (const item of seed.items) {
		const at = item.id;
		if (!item.id.startsWith(`${prefix}-`))
			problems.push({ where: at, message: `item id must start with ${prefix}-` });
		if (!sections.has(item.section))
			problems.push({ where: at, message: `unknown section ${item.section}` });
		if (item.parent !== null && !items.has(item.parent))
			problems.push({ where: at, message: `unknown parent item ${item.parent}` });
		if (new Set(item.themes).size !== item.themes.length)
			problems.push({ where: at, message: 'theme listed twice' });
		for (const link of item.links) {
			const target = items.get(link.target);
			if (!target) {
				problems.push({ where: at, message: `link to unknown item ${link.target}` });
				continue;
			}
			if (link.target === item.id) problems.push({ where: at, message: 'links to itself' });
			if (link.type === 'addresses' && (item.kind === 'issue' || target.kind !== 'issue'))
				problems.push({
					where: at,
					message: `"addresses" goes from a proposal or target to an issue (${link.target})`
				});
		}
		if (normalized !== null && locateQuote(normalized, item.quote) < 0)
			problems.push({ where: at, message: `quote not found in source: ${item.quote}` });
	}
	// A parent chain that loops would hang every tree view built on it.
	for (const item of seed.items) {
		const seen = new Set<string>([item.id]);
		let p = item.parent;
		while (p !== null) {
			if (seen.has(p)) {
				problems.push({ where: item.id, message: 'parent chain loops' });
				break;
			}
			seen.add(p);
			p = items.get(p)?.parent ?? null;
		}
	}
	return { seed, problems };
}

/**
 * Checks a set of seed files against each other: one file per report, and no slug, id prefix or
 * item id claimed twice — ids are global (boards refer to an item by id alone).
 */
export function validateSeedSet(files: readonly { file: string; seed: SeedFile }[]): SeedProblem[] {
	const problems: SeedProblem[] = [];
	const owners = new Map<string, string>();
	const claim = (key: string, file: string, what: string) => {
		const owner = owners.get(key);
		if (owner !== undefined)
			problems.push({ where: file, message: `${what} already used by ${owner}` });
		else owners.set(key, file);
	};
	for (const { file, seed } of files) {
		claim(`slug:${seed.report.slug}`, file, `report slug ${seed.report.slug}`);
		claim(`prefix:${seed.report.prefix}`, file, `id prefix ${seed.report.prefix}`);
		claim(`source:${seed.report.source}`, file, `source ${seed.report.source}`);
		for (const item of seed.items) claim(`item:${item.id}`, file, `item id ${item.id}`);
	}
	return problems;
}
