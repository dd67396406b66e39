// First: zod must be jitless before any schema module is evaluated (see the module).
import '$lib/zod-jitless';
