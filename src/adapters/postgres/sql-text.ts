/** An SQL identifier in double quotes, so that any name (mixed case, spaces, quotes) means itself. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
export const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
