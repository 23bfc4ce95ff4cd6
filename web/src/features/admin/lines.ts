/** A textarea's lines as a list (one value per line, blanks dropped), and back. */
export const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

export const textOf = (values: readonly string[]): string => values.join('\n');

/**
 * The server's field errors by field name (the last part of a detail's path, e.g. `iss` for
 * `/iss` or `body/iss`), for the form to show at each field.
 */
export function fieldErrorsOf(details: readonly { path: string; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of details) {
    const field = d.path.split('/').filter(Boolean).pop();
    if (field !== undefined && errors[field] === undefined) errors[field] = d.message;
  }
  return errors;
}
