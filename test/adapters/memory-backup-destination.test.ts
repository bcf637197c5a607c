import { MemoryBackupDestination } from '../fakes/memory-backup-destination.ts';
import { backupDestinationContract } from './backup-destination-contract.ts';

/** The fake holds to the same contract as the real destinations, so unit tests over it mean what they say. */
backupDestinationContract('memory', async () => {
  const destination = new MemoryBackupDestination();
  const inState = (state: MemoryBackupDestination['state']) => { destination.state = state; return destination; };
  return {
    destination,
    plant: async (name, bytes) => void destination.files.set(name, { bytes, modifiedAt: new Date() }),
    stored: async () => Object.fromEntries([...destination.files].filter(([name]) => !name.includes('/')).map(([name, f]) => [name, f.bytes])),
    block: async (name) => void destination.folders.add(name),
    damageNextPut: () => { destination.damageNext = true; },
    readOnly: () => inState('read-only'),
    unreachable: () => inState('unreachable'),
  };
}, {
  says: { blocked: /A folder named .* tokobot does not replace it/, damaged: /arrived damaged .* deleted there/, interrupted: /stopped before it finished/,
    unreadable: /Cannot read .* \(ENOENT\)/, refused: /is read-only/, unreachable: /Cannot reach/ },
});
