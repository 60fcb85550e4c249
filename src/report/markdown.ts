/**
 * A markdown summary for a pull-request comment: verdict with reasons, the test table, the probe in one table,
 * the length note, which words moved (as the HTML report's "What changed, in words"), and the few most shifted
 * samples. User texts are neutralised (no markup, links or tables
 * can be injected through them).
 */
import { describeMinEffect } from '../twosample/suite.js';
import type { ShiftlensResult, TermShift } from '../result/resultTypes.js';
import type { VerdictKind } from '../probe/probeTypes.js';
import { clipText, formatCount, formatInterval, formatNumber, formatPercent, formatPValue } from './format.js';
import { lengthSentence } from './lengthShift.js';
import { VERDICT_LABELS } from './html/sections/verdictBanner.js';
import { effectLabel, effectPhrase } from '../verdict/evidence.js';
import { sensitivityBasisText } from '../verdict/sensitivity.js';

const ICONS: Record<VerdictKind, string> = {
  sameDistribution: '✅',
  inconclusive: '❔',
  shiftProbeSuffices: '⚠️',
  shiftRevisitData: '❌',
  shiftNoLabels: '⚠️',
};

const SAMPLES_IN_SUMMARY = 5;
const SAMPLE_CHARS = 140;
/** Terms listed per direction (result.json keeps up to 25; the HTML report's tables show 15). */
export const TERMS_IN_SUMMARY = 8;

/**
 * Text safe inside a markdown table cell or paragraph (never at a line start): HTML entities for <>&, a backslash
 * before what could open code, emphasis, strikethrough, a link or image ([ ]), or end a table cell (|).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .trim();
}

export function renderMarkdownSummary(result: ShiftlensResult): string {
  const v = result.verdict;
  const s = result.suite;
  const lines: string[] = [];
  lines.push(
    `### ${ICONS[v.kind] ?? ''} shiftlens: ${escapeMarkdown(VERDICT_LABELS[v.kind] ?? v.kind)}`.replace(
      '###  ',
      '### ',
    ),
  );
  lines.push('');
  lines.push(`**${escapeMarkdown(v.headline)}**`);
  lines.push('');
  for (const reason of v.reasons) lines.push(`- ${escapeMarkdown(reason)}`);
  if (v.reasons.length) lines.push('');
  lines.push(`**What to do:** ${escapeMarkdown(v.recommendation)}`);
  lines.push('');
  lines.push(
    `Reference \`${code(result.reference.source)}\` (n = ${formatCount(result.reference.n)}) → target \`${code(result.target.source)}\` ` +
      `(n = ${formatCount(result.target.n)}) · model \`${code(result.model.id)}\` · seed ${result.seed}`,
  );
  lines.push('');

  const length = lengthSentence(result);
  if (length) {
    lines.push(`> **Length shift.** ${escapeMarkdown(length)}`);
    lines.push('');
  }

  const withMde = result.tests.some((t) => typeof t.minDetectableEffect === 'number');
  lines.push(
    `| Test | Statistic | p-value | Adjusted p | Effect size | ${withMde ? 'Detectable from (power 0.8) | ' : ''}Decision |`,
  );
  lines.push(`|---|---:|---:|---:|---:|${withMde ? '---:|' : ''}---|`);
  for (const t of result.tests) {
    const decision = t.pValue === null ? 'effect size only' : t.shift ? '**shift**' : 'no shift';
    const mde =
      typeof t.minDetectableEffect === 'number'
        ? `${formatNumber(t.minDetectableEffect)}${spaced(effectPhrase(t.name, t.minDetectableEffect))}`
        : '–';
    lines.push(
      `| ${escapeMarkdown(t.label)} | ${formatNumber(t.statistic, 4)} | ${formatPValue(t.pValue)} | ${formatPValue(t.pValueAdjusted)} | ` +
        `${formatNumber(t.effectSize)} (${escapeMarkdown(t.effectSizeName)}${wordOf(t.name, t.effectSize)}) | ${withMde ? `${mde} | ` : ''}${decision} |`,
    );
  }
  lines.push('');
  lines.push(
    `Family-wise: α = ${s.alpha}, ${s.correction}` +
      `${s.minEffect !== null ? `, minimum effect ${describeMinEffect(s.minEffect, formatNumber)}` : ''} → ${s.shiftDetected ? '**shift detected**' : 'no shift detected'}` +
      `${!s.shiftDetected && v.sensitivity?.word ? ` of at least ${v.sensitivity.word} size (${sensitivityBasisText(v.sensitivity.basis)}, power ${v.sensitivity.power}; smaller shifts could go unnoticed)` : ''}.`,
  );
  const labels = result.labelShift;
  if (labels) {
    lines.push('');
    lines.push(`| Label | Reference | Target |`);
    lines.push(`|---|---:|---:|`);
    for (const c of labels.classes) {
      const ref = labels.referenceCounts[c] ?? 0;
      const tgt = labels.targetCounts[c] ?? 0;
      lines.push(
        `| ${escapeMarkdown(c)}${ref === 0 ? ' (new in target)' : ''} | ${formatCount(ref)} | ${formatCount(tgt)} (${formatPercent(tgt / labels.nTarget)}) |`,
      );
    }
    lines.push('');
    lines.push(
      `Label shift: ${labels.unseen.nRows > 0 ? `${formatPercent(labels.unseen.share)} of target labels are classes the reference lacks; ` : ''}` +
        (labels.test
          ? `proportions test p = ${formatPValue(labels.test.pValue)} (${labels.test.method}), Cohen's w = ${formatNumber(labels.effectSize)}${spaced(effectPhrase('label-proportions', labels.effectSize))}`
          : 'one class only, no proportions test') +
        ` → ${v.labelShiftDetected ? '**label shift**' : 'no label shift'}.`,
    );
  }

  const probe = result.probe;
  if (probe) {
    const level = Math.round(probe.reference.accuracy.level * 100);
    lines.push('');
    lines.push(`| Linear probe | Accuracy [${level}% interval] |`);
    lines.push(`|---|---:|`);
    const a = probe.reference.accuracy;
    lines.push(`| reference held-out | ${formatInterval(a.estimate, a.lower, a.upper)} |`);
    if (probe.transfer) {
      const t = probe.transfer;
      lines.push(
        `| reference probe on target | ${formatInterval(t.accuracy.estimate, t.accuracy.lower, t.accuracy.upper)} |`,
      );
      lines.push(
        `| transfer gap (reference − target) | ${formatInterval(t.gap.estimate, t.gap.lower, t.gap.upper)}${v.transferDecision ? ` · ${v.transferDecision.status}` : ''} |`,
      );
    }
    if (probe.targetOnly) {
      const o = probe.targetOnly;
      lines.push(
        `| target's own probe (k-fold) | ${formatInterval(o.accuracy.estimate, o.accuracy.lower, o.accuracy.upper)} |`,
      );
      lines.push(`| majority baseline (target) | ${formatNumber(o.majorityBaseline)} |`);
      if (o.separabilityGap) {
        const g = o.separabilityGap;
        lines.push(
          `| separability gap (reference-predicted − target's own) | ${formatInterval(g.estimate, g.lower, g.upper)}${v.separabilityDecision ? ` · ${v.separabilityDecision.status}` : ''} |`,
        );
      }
    }
    // What the probe did differently from the obvious (row caps, classes left out), in its own words.
    for (const note of probe.notes ?? []) lines.push('', `_Probe note: ${escapeMarkdown(note)}_`);
  }

  lines.push(...wordsBlock(result));

  const top = result.samples.top.slice(0, SAMPLES_IN_SUMMARY);
  if (top.length && top.some((r) => r.text !== null)) {
    lines.push('');
    lines.push('<details><summary>Most shifted target samples</summary>');
    lines.push('');
    lines.push(`| # | Score | Text |`);
    lines.push(`|---:|---:|---|`);
    top.forEach((r, i) => {
      lines.push(
        `| ${i + 1} | ${formatNumber(r.combinedScore)} | ${escapeMarkdown(clipText(r.text ?? '', SAMPLE_CHARS))} |`,
      );
    });
    lines.push('');
    lines.push('</details>');
  }
  lines.push('');
  lines.push(`<sub>shiftlens ${escapeMarkdown(result.tool.version)} · ${escapeMarkdown(result.createdAt)}</sub>`);
  return `${lines.join('\n')}\n`;
}

/**
 * Which words moved: the most over- and under-represented terms (z of the log-odds ratio with an informative
 * Dirichlet prior) in one table, and the words of the most shifted samples. Nothing for vector sources.
 */
function wordsBlock(result: ShiftlensResult): string[] {
  const w = result.wordShift;
  if (!w) return [];
  const over = w.overRepresented.slice(0, TERMS_IN_SUMMARY);
  const under = w.underRepresented.slice(0, TERMS_IN_SUMMARY);
  const lines = ['', '**What changed, in words**', ''];
  if (over.length + under.length === 0) {
    lines.push(
      `No word or bigram seen at least ${w.minCount} times differs between the sets (${formatCount(w.nTermsRanked)} terms ranked).`,
    );
    return lines;
  }
  const term = (t: TermShift) => `${escapeMarkdown(t.term)}${t.kind === 'bigram' ? ' (bigram)' : ''}`;
  const cell = (t: TermShift | undefined) =>
    t
      ? `${term(t)} | ${formatNumber(t.ratePer10kReference, 3)} → ${formatNumber(t.ratePer10kTarget, 3)} | ${formatNumber(t.z, 3)}`
      : ' |  | ';
  lines.push('| More frequent in the target | per 10k words | z | Less frequent in the target | per 10k words | z |');
  lines.push('|---|---:|---:|---|---:|---:|');
  for (let i = 0; i < Math.max(over.length, under.length); i++) lines.push(`| ${cell(over[i])} | ${cell(under[i])} |`);
  lines.push('');
  lines.push(
    `Log-odds ratio with an informative Dirichlet prior; z > 0: more frequent in the target. Counted over ` +
      `${formatCount(w.nTextsReference)} reference and ${formatCount(w.nTextsTarget)} target texts${w.subsampled ? ' (a seeded subsample)' : ''}.`,
  );
  const shifted = w.mostShifted;
  if (shifted?.terms.length) {
    lines.push('');
    lines.push(
      `Words of the ${formatCount(shifted.nSamples)} most shifted target samples: ` +
        `${shifted.terms
          .slice(0, TERMS_IN_SUMMARY)
          .map((t) => escapeMarkdown(t.term))
          .join(', ')}.`,
    );
  }
  return lines;
}

/** escapeMarkdown trims: keep the phrase's leading space. */
function spaced(phrase: string): string {
  return phrase ? ` ${escapeMarkdown(phrase)}` : '';
}

/** "; small on its 1-D scale" for the effect-size cell, '' without bands. */
function wordOf(testName: string, value: number): string {
  const label = effectLabel(testName, value);
  return label ? `; ${escapeMarkdown(label)}` : '';
}

/** Inside an inline code span only a backtick can break out; replace it (and newlines). */
function code(text: string): string {
  return text.replace(/`/g, "'").replace(/\s+/g, ' ');
}
