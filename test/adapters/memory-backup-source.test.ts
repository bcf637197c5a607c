import { MemoryBackupSource } from '../fakes/memory-backup-source.ts';
import { backupSourceContract } from './backup-source-contract.ts';

/** The fake holds to the same contract as the real sources, so unit tests over it mean what they say. */
backupSourceContract('memory', async () => {
  const source = new MemoryBackupSource();
  const inState = (state: MemoryBackupSource['state']) => Object.assign(new MemoryBackupSource(), { state });
  return {
    source,
    add: async (name, bytes, modifiedAt) => source.add(name, bytes, modifiedAt),
    replace: async (name, bytes) => source.add(name, bytes),
    remove: async (name) => source.remove(name),
    misplaced: () => inState('missing'),
    unreachable: () => inState('unreachable'),
  };
}, {
  announcesHash: true,
  says: { missing: /is no longer in/, changed: /changed after it was listed/, misplaced: /MEMORY_SOURCE/, unreachable: /Cannot reach/ },
});
