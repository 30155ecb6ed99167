import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The files whose every user-visible string comes from the catalog. Still to convert (their literals are not checked
 * yet): the renderer/ui parts no converted step uses. Add a file
 * here when it is converted.
 */
const convertedFiles = [
  'renderer/frame/app-header.tsx',
  'renderer/frame/app-info-panel.tsx',
  'renderer/frame/app-root.tsx',
  'renderer/frame/app.tsx',
  'renderer/frame/connection-banner.tsx',
  'renderer/frame/connection-indicator.tsx',
  'renderer/frame/language-picker.tsx',
  'renderer/frame/new-project-form.tsx',
  'renderer/frame/no-project-notice.tsx',
  'renderer/frame/project-picker.tsx',
  'renderer/frame/skip-link.tsx',
  'renderer/frame/step-footer.tsx',
  'renderer/frame/step-nav.tsx',
  'renderer/frame/step-view.tsx',
  'renderer/frame/theme-toggle.tsx',
  'renderer/ui/render-error-boundary.tsx',
  'renderer/features/discover/discover-step.tsx',
  'renderer/features/discover/sweep-results-table.tsx',
  'renderer/features/access/access-step.tsx',
  'renderer/features/access/host-card.tsx',
  'renderer/features/access/credential-form.tsx',
  'renderer/features/access/credential-list.tsx',
  'renderer/features/access/host-key-panels.tsx',
  'renderer/features/roles/roles-step.tsx',
  'renderer/features/roles/topology-picture.tsx',
  'renderer/features/deploy/bundle-push-item.tsx',
  'renderer/features/deploy/byte-progress.tsx',
  'renderer/features/deploy/checklist-item.tsx',
  'renderer/features/deploy/cluster-run-item.tsx',
  'renderer/features/deploy/deploy-key-item.tsx',
  'renderer/features/deploy/deploy-key-passphrase-field.tsx',
  'renderer/features/deploy/deploy-step.tsx',
  'renderer/features/deploy/extra-vars-field.tsx',
  'renderer/features/deploy/harbor-ca-item.tsx',
  'renderer/features/deploy/harbor-push-item.tsx',
  'renderer/features/deploy/offline-services-item.tsx',
  'renderer/features/deploy/outcome-table.tsx',
  'renderer/features/deploy/push-controls.tsx',
  'renderer/features/deploy/run-digest-panel.tsx',
  'renderer/features/deploy/run-target-fields.tsx',
  'renderer/features/deploy/run-terminal.tsx',
  'renderer/features/deploy/run-view.tsx',
  'renderer/ui/findings-list.tsx',
  'renderer/ui/action-form.tsx',
  'renderer/ui/note.tsx',
  'renderer/ui/confirm-row.tsx',
  'renderer/ui/row-button.tsx',
  'renderer/features/bundle/bundle-card.tsx',
  'renderer/features/bundle/bundle-step.tsx',
  'renderer/features/bundle/bundle-verification-panel.tsx',
  'renderer/features/bundle/no-bundles-found.tsx',
  'renderer/features/bundle/searched-folders.tsx',
  'renderer/features/bundle/trust-publisher-dialog.tsx',
  'renderer/features/settings/settings-step.tsx',
  'renderer/features/settings/day-two-section.tsx',
  'renderer/features/review/review-step.tsx',
  'renderer/features/review/download-check-panel.tsx',
  'renderer/features/review/inventory-import-panel.tsx',
  'renderer/features/operate/operate-step.tsx',
  'renderer/features/operate/operate-actions.tsx',
  'renderer/features/operate/upgrade-action.tsx',
  'renderer/features/operate/run-history.tsx',
  'renderer/features/operate/cluster-access-panel.tsx',
  'renderer/features/operate/certificates-panel.tsx',
  'renderer/features/operate/etcd-backups-panel.tsx',
  'renderer/features/operate/etcd-restore-dialog.tsx',
  'renderer/features/operate/health-report-panel.tsx',
];

/** Attributes a person reads or hears; `placeholder` holds sample input (10.0.0.11, prod-dc1), not words. */
const visibleAttributes = new Set(['aria-label', 'title', 'alt', 'label', 'hint', 'where', 'text']);
/** Names that are the same in every language. */
const allowed = new Set(['Airspray']);
const hasWords = (text: string) => /\p{L}{2,}/u.test(text) && !allowed.has(text.trim());

/** Text written in a file's JSX rather than taken from the catalog, as "line: text". */
function literalTexts(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
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
    if (ts.isJsxText(node)) report(node, node.text);
    // {'text'}, {`text ${x}`} and {x ? 'a' : 'b'} as a child: written words all the same.
    if (ts.isJsxExpression(node) && !ts.isJsxAttribute(node.parent)) {
      const inner = node.expression;
      const branches = inner && ts.isConditionalExpression(inner) ? [inner.whenTrue, inner.whenFalse] : [inner];
      for (const branch of branches) {
        const text = literalText(branch);
        if (text !== null) report(node, text);
      }
    }
    if (ts.isJsxAttribute(node) && visibleAttributes.has(node.name.getText(file))) {
      const value = node.initializer;
      const text = value && ts.isJsxExpression(value) ? literalText(value.expression) : literalText(value);
      if (text !== null) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('user-visible strings in converted renderer files', () => {
  it.each(convertedFiles)('%s takes its words from the catalog', (path) => {
    expect(literalTexts(path, readFileSync(path, 'utf8'))).toEqual([]);
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
});
