// Worker entry: Node 20 resolves a worker's entry file before --import hooks apply, so tsx is
// registered here, then the TypeScript worker is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./fake-telegram-worker.ts');
