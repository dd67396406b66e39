import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// CSRF-01: SvelteKit's own origin check stays on for form posts; hooks add Fetch Metadata.
		csrf: { trustedOrigins: [] },
		// HDR-01: nonces for server-rendered pages, hashes for anything prerendered.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self', 'ws:', 'wss:'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'frame-ancestors': ['none'],
				'form-action': ['self']
			}
		},
		typescript: {
			// `npm run check` covers the Node entry, migrations and seeds too.
			config(tsconfig) {
				tsconfig.include.push(
					'../server/**/*.ts',
					'../migrations/**/*.ts',
					'../seeds/**/*.ts',
					'../tests/**/*.ts',
					'../vite.config.ts',
					'../playwright.config.ts'
				);
				return tsconfig;
			}
		}
	}
};

export default config;
