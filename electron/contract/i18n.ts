/**
 * Message lookup shared by the renderer and the native menu: dotted keys into the
 * `resources/i18n/<lang>.json` dictionaries, `{name}` placeholders filled from params.
 */
export type Dictionary = { readonly [key: string]: string | Dictionary };

/** Every dotted path to a string leaf of a dictionary type, e.g. `nav.profiles`. */
export type MessageKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${MessageKey<T[K]>}`;
}[keyof T & string];

export function lookup(dict: Dictionary, key: string): string | undefined {
  let node: string | Dictionary | undefined = dict;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function format(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** All dotted leaf keys of a dictionary, sorted; used to prove EN and DE are complete. */
export function leafKeys(dict: Dictionary, prefix = ''): string[] {
  return Object.entries(dict)
    .flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`)))
    .sort();
}
