/** A message: plain text with `{name}` placeholders, or plural forms chosen by `count`. */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
export type Message = string | PluralForms;
export type Catalogue = Record<string, Message>;
export type Params = Record<string, string | number>;
