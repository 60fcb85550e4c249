/** A visible note when the two sides' texts differ in length (see lengthShift.ts for the rule). */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import { lengthSentence } from '../../lengthShift.js';
import { html, type SafeHtml } from '../safeHtml.js';

export function lengthNote(result: ShiftlensResult): SafeHtml | null {
  const sentence = lengthSentence(result);
  return sentence
    ? html`<div class="note" id="length-note" role="note"><strong>Length shift.</strong> ${sentence}</div>`
    : null;
}
