import type { Page } from 'playwright-core';

/**
 * Boxes meant to scroll sideways: the run terminal and its log, code and file views, the recap table's scroller.
 * Anything inside them may be wider than its box.
 */
export const intentionalScrollers = 'pre, code, textarea, .xterm, [role="log"], .file-view, .run-counts-scroll';

/**
 * What does not fit on the page as shown: the page scrolling sideways, a box that is not an intentional scroller
 * showing a scrollbar, and text wider or taller than the box that holds it (cut off, or drawn over its neighbours).
 * Text cut on purpose with an ellipsis is not counted. Each problem names the element and the sizes, for the message.
 */
export function findLayoutOverflow(page: Page): Promise<string[]> {
  return page.evaluate((allowed) => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth)
      problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    const name = (element: HTMLElement) =>
      `<${element.tagName.toLowerCase()}${element.className ? ` class="${String(element.className)}"` : ''}> "${element.innerText.trim().slice(0, 40)}"`;
    // Text laid out in the element's own lines: a text node, or an inline element with text, as a direct child.
    const holdsText = (element: HTMLElement) =>
      [...element.childNodes].some((node) =>
        node instanceof HTMLElement
          ? getComputedStyle(node).display === 'inline' && node.innerText.trim() !== ''
          : node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '',
      );
    // Not drawn, or drawn in one clipped pixel for screen readers only (.visually-hidden).
    const unseen = (element: HTMLElement) => element.getClientRects().length === 0 || element.offsetWidth <= 1;
    for (const element of document.body.querySelectorAll('*')) {
      // SVG icons hold no text of the page's language and have no offset box.
      if (!(element instanceof HTMLElement) || element.closest(allowed) || unseen(element)) continue;
      const style = getComputedStyle(element);
      if (style.display === 'inline' || style.display === 'contents') continue;
      const wider = element.scrollWidth - element.clientWidth;
      const taller = element.scrollHeight - element.clientHeight;
      if (/auto|scroll/.test(style.overflowX)) {
        if (wider > 0) problems.push(`scrollbar on ${name(element)}: ${element.scrollWidth} > ${element.clientWidth}`);
        continue;
      }
      if (style.textOverflow === 'ellipsis' || !holdsText(element)) continue;
      // One pixel of rounding: a line box of a CJK fallback font can be a fraction taller than the line height.
      if (wider > 1) problems.push(`text wider than ${name(element)}: ${element.scrollWidth} > ${element.clientWidth}`);
      else if (taller > 1 && !/auto|scroll/.test(style.overflowY))
        problems.push(`text taller than ${name(element)}: ${element.scrollHeight} > ${element.clientHeight}`);
    }
    return problems;
  }, intentionalScrollers);
}
