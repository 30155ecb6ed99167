import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Every source file of the window: a new one is checked from the start. */
function rendererFiles(dir = 'renderer'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return rendererFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Texts that stay English, each with why: a programming error, never shown in the window. */
const exempt: { file: string; text: string; reason: string }[] = [
  {
    file: 'renderer/api/ws-transport.ts',
    text: 'This environment has no WebSocket: pass WebSocketImpl.',
    reason: 'thrown at start-up by code that forgot WebSocketImpl outside a browser; the window never gets that far',
  },
];
const shown = (path: string, found: string[]) =>
  found.filter((line) => !exempt.some(({ file, text }) => file === path && line.endsWith(`: ${text}`)));

/** Attributes a person reads or hears; `placeholder` holds sample input (10.0.0.11, prod-dc1), not words. */
const visibleAttributes = new Set(['aria-label', 'title', 'alt', 'label', 'hint', 'where', 'text']);
/** Names that are the same in every language. */
const allowed = new Set(['Airspray']);
const hasWords = (text: string) => /\p{L}{2,}/u.test(text) && !allowed.has(text.trim());

/** A sentence in code (outside JSX): a capitalised word, then more words; ids, class names and keys are none. */
const isSentence = (text: string) => /^\s*\p{Lu}[\p{L}']*,?\s+\p{L}/u.test(text);

/** A developer's text: what the console prints is never in the window. */
const isConsoleCall = (node: ts.Node) =>
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  ts.isIdentifier(node.expression.expression) &&
  node.expression.expression.text === 'console';

/** Text written in a file rather than taken from the catalog, as "line: text". */
function literalTexts(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const reported = new Set<ts.Node>();
  const report = (node: ts.Node, text: string, literal = node) => {
    reported.add(literal);
    if (hasWords(text)) found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.trim()}`);
  };
  // The written parts of a literal: a template's text around its substitutions, not the code inside them.
  const literalText = (node: ts.Node | undefined): string | null => {
    if (!node) return null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node))
      return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
    return null;
  };
  const visit = (node: ts.Node) => {
    // A command or path in <code> is typed as is, in every language.
    if (ts.isJsxElement(node) && node.openingElement.tagName.getText(file) === 'code') return;
    if (isConsoleCall(node)) return;
    if (ts.isJsxText(node)) report(node, node.text);
    // {'text'}, {`text ${x}`} and {x ? 'a' : 'b'} as a child: written words all the same.
    if (ts.isJsxExpression(node) && !ts.isJsxAttribute(node.parent)) {
      const inner = node.expression;
      const branches = inner && ts.isConditionalExpression(inner) ? [inner.whenTrue, inner.whenFalse] : [inner];
      for (const branch of branches) {
        const text = literalText(branch);
        if (text !== null && branch) report(node, text, branch);
      }
    }
    if (ts.isJsxAttribute(node) && visibleAttributes.has(node.name.getText(file))) {
      const value = node.initializer;
      const literal = value && ts.isJsxExpression(value) ? value.expression : value;
      const text = literalText(literal);
      if (text !== null && literal) report(node, text, literal);
    }
    const text = reported.has(node) ? null : literalText(node);
    if (text !== null && isSentence(text)) report(node, text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('user-visible strings in renderer files', () => {
  it.each(rendererFiles())('%s takes its words from the catalog', (path) => {
    expect(shown(path, literalTexts(path, readFileSync(path, 'utf8')))).toEqual([]);
  });

  it('finds text, attributes and literal branches written in JSX (the check above can fail)', () => {
    const source = `export const A = ({ x }: { x: boolean }) => (
      <p aria-label="Sweep results" title={'Address'} placeholder="10.0.0.0/24">
        Start sweep {x ? 'host' : 'hosts'} {\`\${1} ticked\`} <span>Airspray</span> <code>ssh-keygen -lf</code> {' '} {x}
      </p>
    );`;
    expect(literalTexts('example.tsx', source)).toEqual([
      '2: Sweep results',
      '2: Address',
      '3: Start sweep',
      '3: host',
      '3: hosts',
      '3: ticked',
    ]);
  });

  it('finds sentences written in code, but not ids, class names or what the console prints', () => {
    const source = `const fail = (code: number) => {
      console.warn('Ignored a message that is not JSON.');
      setState({ id: 'api.connection.lost', className: 'btn btn--primary', action: 'connection/changed' });
      throw new ApiCallError('disconnected', \`Connection lost (code \${code}).\`);
    };`;
    expect(literalTexts('example.ts', source)).toEqual(['4: Connection lost (code  ).']);
  });

  it('walks every file under renderer/, and each exemption still names a text there', () => {
    const files = rendererFiles();
    expect(files).toEqual(expect.arrayContaining(['renderer/api/ws-transport.ts', 'renderer/frame/app.tsx']));
    for (const { file, text } of exempt) {
      const found = literalTexts(file, readFileSync(file, 'utf8'));
      expect(found.some((line) => line.endsWith(`: ${text}`))).toBe(true);
    }
  });
});
