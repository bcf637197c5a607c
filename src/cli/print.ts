/** A line on standard output: what a command answers (progress and errors go to standard error). */
export const print = (text: string) => process.stdout.write(`${text}\n`);
