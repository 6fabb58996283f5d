/** "a, b, c, ... (+n more)": the first few items of a long list, for one-line messages. */
export function listSome(items: string[], most = 8): string {
  return items.length <= most ? items.join(', ') : `${items.slice(0, most).join(', ')}, ... (+${items.length - most} more)`;
}
