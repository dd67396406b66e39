/** Stakeholder sectors every account declares; vote results break down by these. */
export const SECTORS = [
	'industry',
	'academia',
	'government',
	'civil_society',
	'finance',
	'media',
	'other'
] as const;

export type Sector = (typeof SECTORS)[number];

export function isSector(value: string): value is Sector {
	return (SECTORS as readonly string[]).includes(value);
}
