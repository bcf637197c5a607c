import { zipSettingsFrom } from '../config/load-config.ts';
import { inspectFile } from '../pipeline/archive/inspect-file.ts';
import { renderArchiveInfo } from '../pipeline/archive/render-archive.ts';
import { cliIo, print } from './print.ts';

/** `tokobot inspect`: needs no config but the zip limits, since inspecting a file must work before anything is set up. */
export async function inspect(file: string, json: boolean): Promise<number> {
  const info = await inspectFile(file, zipSettingsFrom(cliIo().env));
  print(json ? JSON.stringify(info, null, 2) : renderArchiveInfo(info));
  return 0;
}
