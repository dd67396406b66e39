import type { Migration } from 'kysely';
import * as accounts from './20261122120000_accounts';
import * as library from './20261122130000_library';
import * as boards from './20261122140000_boards';
import * as collab from './20261122150000_collab';
import * as invites from './20261122160000_invites';
import * as facilitation from './20261122170000_facilitation';
import * as votes from './20261123120000_votes';
import * as decisions from './20261123130000_decisions';
import * as series from './20261124120000_series';
import * as collabChecksums from './20261125120000_collab_checksums';
import * as boardArchive from './20261202120000_board_archive';
import * as inviteWelcome from './20261203110000_invite_welcome';
import * as voteOptions from './20261203110100_vote_options';
import * as instanceAdmin from './20261203130000_instance_admin';
import * as reportImports from './20261203140000_report_imports';
import * as sharedThrottles from './20261203150000_shared_throttles';
import * as recordAndPreparedVotes from './20261203151300_record_and_prepared_votes';
import * as collabProcesses from './20261203160000_collab_processes';
import * as importCurationFields from './20261204170000_import_curation_fields';

/**
 * Every migration, by name. Listed statically (not discovered on disk) so the same list works
 * under Vite in development, in the bundled production server and in tests; a unit test checks
 * that every file in this folder is listed here.
 */
export const migrations: Record<string, Migration> = {
	'20261122120000_accounts': accounts,
	'20261122130000_library': library,
	'20261122140000_boards': boards,
	'20261122150000_collab': collab,
	'20261122160000_invites': invites,
	'20261122170000_facilitation': facilitation,
	'20261123120000_votes': votes,
	'20261123130000_decisions': decisions,
	'20261124120000_series': series,
	'20261125120000_collab_checksums': collabChecksums,
	'20261202120000_board_archive': boardArchive,
	'20261203110000_invite_welcome': inviteWelcome,
	'20261203110100_vote_options': voteOptions,
	'20261203130000_instance_admin': instanceAdmin,
	'20261203140000_report_imports': reportImports,
	'20261203150000_shared_throttles': sharedThrottles,
	'20261203151300_record_and_prepared_votes': recordAndPreparedVotes,
	'20261203160000_collab_processes': collabProcesses,
	'20261204170000_import_curation_fields': importCurationFields
};
