import { Worker } from 'node:worker_threads';
import { EXTRACT_WORKER_SOURCE } from './extract-worker-source';
import { ImportError, isImportErrorCode } from './import-error';
import { IMPORT_LIMITS, type ImportLimits } from './limits';

/**
 * Extracts the text of a PDF (page by page) or a DOCX in a worker thread, so that a slow, huge
 * or hostile file costs the worker and never the server: the worker has a heap limit, a
 * wall-clock limit after which it is terminated, and its own limits on pages, text and unpacked
 * size. Parsing libraries have had bugs that loop or allocate without end; here such a file is
 * one refused import.
 */
export function extractInWorker(
	format: 'pdf' | 'docx',
	bytes: Uint8Array,
	limits: ImportLimits = IMPORT_LIMITS
): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(EXTRACT_WORKER_SOURCE, {
			eval: true,
			workerData: { format, bytes, limits },
			resourceLimits: {
				maxOldGenerationSizeMb: limits.workerHeapMb,
				maxYoungGenerationSizeMb: 32,
				stackSizeMb: 4
			},
			stdout: true,
			stderr: true
		});
		let settled = false;
		const settle = (fn: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void worker.terminate();
			fn();
		};
		const timer = setTimeout(
			() => settle(() => reject(new ImportError('timeout', `${limits.timeMs} ms`))),
			limits.timeMs
		);
		worker.on('message', (m: { ok: boolean; pages?: string[]; code?: string; detail?: string }) => {
			settle(() => {
				if (m.ok && Array.isArray(m.pages)) resolve(m.pages);
				else
					reject(
						new ImportError(isImportErrorCode(m.code) ? m.code : 'unsupported_format', m.detail)
					);
			});
		});
		worker.on('error', (e: Error & { code?: string }) => {
			settle(() =>
				reject(
					new ImportError(
						e.code === 'ERR_WORKER_OUT_OF_MEMORY'
							? 'out_of_memory'
							: format === 'pdf'
								? 'pdf_corrupt'
								: 'docx_corrupt',
						e.message
					)
				)
			);
		});
		worker.on('exit', (code) => {
			settle(() => reject(new ImportError('out_of_memory', `worker exited with ${code}`)));
		});
	});
}
