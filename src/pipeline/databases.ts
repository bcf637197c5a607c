/**
 * The restored iPOS databases of one store: live, the fallback it replaced, a run's staging copy,
 * and the fallback before that, kept only until the publication that retired it has committed.
 */
export function storeDatabases(storeId: string) {
  return { live: `ipos_${storeId}`, previous: `ipos_${storeId}__previous`, staging: `ipos_${storeId}__staging`, retired: `ipos_${storeId}__retired` };
}
