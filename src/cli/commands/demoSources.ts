/**
 * The demo's bundled real data (SpamAssassin public corpus, from npm, offline): a reference of easy ham and
 * early spam, labelled ham/spam, against a target of hard ham and later spam — a real shift in both classes,
 * where the linear probe's transfer gap can be measured.
 */
export const DEMO_SOURCES = {
  reference: 'spam-assassin:easy-ham-1+spam-1',
  target: 'spam-assassin:hard-ham-1+spam-2',
  labelColumn: 'label',
} as const;
