/**
 * Layout checks run in a browser page (playwright-core) by the layout tests and bench/reportLayout.ts: what sticks
 * out sideways, and which chart text labels overlap. Both return human-readable findings (empty = fine).
 */
import type { Page } from 'playwright-core';

/** Every element that sticks out sideways: past the window, past its card, or scrolling inside itself. */
export async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth)
      out.push(`page: ${doc.scrollWidth} px wide in a ${window.innerWidth} px window`);
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    for (const card of Array.from(document.querySelectorAll('section.card, .note'))) {
      const box = card.getBoundingClientRect();
      const style = getComputedStyle(card);
      const right = box.right - Number.parseFloat(style.paddingRight) + 1;
      const left = box.left + Number.parseFloat(style.paddingLeft) - 1;
      for (const el of Array.from(
        card.querySelectorAll('table, figure, .chart-holder, svg, canvas, .figures, p, dl'),
      )) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.right > right || r.left < left)
          out.push(
            `${card.id || name(card)}: ${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)}, card content ${Math.round(left)}–${Math.round(right)}`,
          );
      }
      for (const el of Array.from(card.querySelectorAll('.chart-holder, td, th'))) {
        if (el.scrollWidth > el.clientWidth + 1)
          out.push(`${card.id || name(card)}: ${name(el)} scrolls (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return out;
  });
}

/** Pairs of visible SVG text labels whose boxes overlap by more than 1 px in both directions, per chart. */
export async function overlappingLabels(page: Page): Promise<{ charts: number; texts: number; overlaps: string[] }> {
  return page.evaluate(() => {
    const overlaps: string[] = [];
    let texts = 0;
    const holders = Array.from(document.querySelectorAll('.chart-holder'));
    for (const holder of holders) {
      const boxes: { text: string; r: DOMRect }[] = [];
      for (const el of Array.from(holder.querySelectorAll('svg text'))) {
        const text = (el.textContent ?? '').trim();
        if (!text) continue;
        // Vega hides labels it drops for overlap with opacity 0.
        let hidden = false;
        for (let n: Element | null = el; n && n !== holder; n = n.parentElement) {
          const o = n.getAttribute('opacity') ?? n.getAttribute('fill-opacity');
          if (o !== null && Number(o) === 0) hidden = true;
          if (getComputedStyle(n).opacity === '0' || getComputedStyle(n).visibility === 'hidden') hidden = true;
        }
        if (hidden) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) boxes.push({ text, r });
      }
      texts += boxes.length;
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r;
          const b = boxes[j].r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1)
            overlaps.push(
              `${holder.id}: "${boxes[i].text}" × "${boxes[j].text}" (${w.toFixed(1)} × ${h.toFixed(1)} px)`,
            );
        }
      }
    }
    return { charts: holders.length, texts, overlaps };
  });
}
