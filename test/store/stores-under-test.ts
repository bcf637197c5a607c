import type { OpsStores } from '../../src/store/index.ts';

/**
 * Fresh, empty stores for one test: `swap` is what a publication swaps with its list (it stands
 * for the restore server's swapStagingIn). Each contract suite runs on every implementation.
 */
export type MakeStores = (swap?: (store: string) => Promise<void>) => Promise<OpsStores>;
