/** An audit entry's detail as one line (the page and the CSV show the same text). */
export function auditDetail(d: Record<string, unknown>): string {
	return Object.entries(d)
		.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
		.join(' · ');
}
