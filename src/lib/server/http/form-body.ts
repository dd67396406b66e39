/**
 * INP-01: every POST in Yoriai is a form action, and every action reads its body with
 * `request.formData()`, which throws on a body it cannot parse (a multipart body with a missing
 * or wrong boundary, a cut-off part) or on a type that is no form at all. Thrown inside an action
 * that is a 500 with a stack trace in the log; judged here once, before any action runs, it is
 * the client's error: 400 for an unreadable body, 415 for a type that is not a form's, 413 when
 * the body is over the size limit (adapter-node fails the stream with that status).
 */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

export type FormBodyProblem = 400 | 413 | 415;

export async function formBodyProblem(request: Request): Promise<FormBodyProblem | null> {
	if (request.method !== 'POST') return null;
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (!FORM_TYPES.has(type)) return 415;
	try {
		// A clone, so the action still reads the body; bodies are bounded per route (body-limit.ts).
		await request.clone().formData();
		return null;
	} catch (e) {
		return hasStatus(e, 413) || hasStatus((e as { cause?: unknown })?.cause, 413) ? 413 : 400;
	}
}

function hasStatus(e: unknown, status: number): boolean {
	return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === status;
}
