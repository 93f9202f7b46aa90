import { declareUserColumns } from '../../platform/data-rights.ts';

/**
 * Collaborations are between communities; a member appears only as who proposed, accepted or
 * ended one, or shared a thread into the other community. Those become unattributed on erasure
 * (platform/data-rights.ts); there is nothing of theirs to export.
 */
declareUserColumns([
  { table: 'collaborations', column: 'proposed_by', action: 'null' },
  { table: 'collaborations', column: 'accepted_by', action: 'null' },
  { table: 'collaborations', column: 'ended_by', action: 'null' },
  { table: 'thread_crossposts', column: 'created_by', action: 'null' },
]);
