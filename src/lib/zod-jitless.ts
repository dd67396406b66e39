import { z } from 'zod';

/**
 * HDR-01: zod 4 compiles object parsers with `new Function` unless told not to, and decides so
 * when each object schema is built — probing `Function('')` first. Under our CSP
 * (`script-src 'self'`, no `unsafe-eval`) the browser reports that probe as a violation even
 * though zod catches the throw. Jitless mode skips the probe and uses the plain parser.
 *
 * Imported for its effect, first, by both hooks and the Node entry, so that it runs before any
 * module that builds a schema is evaluated.
 */
z.config({ jitless: true });
