import { parse, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';

/** `text` as YAML read with `options`; text that is not YAML throws what `refusal` makes of the parser's first line. */
export function parseYamlOr(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions,
  refusal: (problem: string) => Error,
): unknown {
  try {
    return parse(text, options);
  } catch (error) {
    throw refusal((error as Error).message.split('\n')[0] ?? '');
  }
}
