import type { ButtonMemory } from '../../src/store/button-memory.ts';

/** Button memory for unit tests: payloads kept as JSON text (as the database keeps them), ids counted up. */
export class MemoryButtonMemory implements ButtonMemory {
  readonly payloads = new Map<string, string>();

  async put(payload: object): Promise<string> {
    const id = `m${this.payloads.size + 1}`;
    this.payloads.set(id, JSON.stringify(payload));
    return id;
  }

  async get(id: string): Promise<unknown> {
    const json = this.payloads.get(id);
    return json === undefined ? null : JSON.parse(json);
  }
}
