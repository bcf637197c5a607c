import yauzl from 'yauzl';

/** One part of the .xlsx zip as text: what Excel reads for frozen panes, filters and number formats. */
export function zipEntry(file: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (err, zip) => {
    if (err) return reject(err);
    zip.on('entry', (e: yauzl.Entry) => {
      if (e.fileName !== name) return zip.readEntry();
      zip.openReadStream(e, (err2, s) => {
        if (err2) return reject(err2);
        const parts: Buffer[] = [];
        s.on('data', (c: Buffer) => parts.push(c)).on('end', () => { zip.close(); resolve(Buffer.concat(parts).toString('utf8')); });
      });
    });
    zip.on('end', () => reject(new Error(`${name} is not in ${file}`)));
    zip.readEntry();
  }));
}
