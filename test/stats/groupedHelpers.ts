/** SOTU passages with their address as group, for grouped-null (document-level) splits. */
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import type { Rng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

export interface GroupedCorpus {
  vectors: Matrix;
  /** Row indices of every address. */
  addresses: number[][];
}

export async function loadSotuAddresses(range: string): Promise<GroupedCorpus> {
  const spec = `sotu:${range}`;
  const vectors = await loadRealEmbeddings(spec);
  const dataset = await loadDataset(spec, { seed: 0, groupColumn: 'address' });
  const groups = dataset.groups as string[];
  if (groups.length !== vectors.rows) throw new Error(`${spec}: ${groups.length} groups for ${vectors.rows} rows`);
  const byAddress = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = byAddress.get(g);
    if (list) list.push(i);
    else byAddress.set(g, [i]);
  });
  return { vectors, addresses: [...byAddress.values()] };
}

/**
 * A document-level null split: `perSide` random addresses on each side, at most `passages` random passages of
 * each; returns both sides and their group ids (address number).
 */
export function addressSplit(
  corpus: GroupedCorpus,
  perSide: number,
  passages: number,
  rng: Rng,
): { reference: Matrix; target: Matrix; groups: { reference: number[]; target: number[] } } {
  const chosen = rng.sample(corpus.addresses.length, 2 * perSide);
  const side = (from: number) => {
    const rows: number[] = [];
    const ids: number[] = [];
    for (let k = from; k < from + perSide; k++) {
      const list = corpus.addresses[chosen[k]];
      const pick = rng.sample(list.length, Math.min(passages, list.length));
      for (const p of Array.from(pick).sort((a, b) => a - b)) {
        rows.push(list[p]);
        ids.push(chosen[k]);
      }
    }
    return { matrix: selectRows(corpus.vectors, rows), ids };
  };
  const a = side(0);
  const b = side(perSide);
  return { reference: a.matrix, target: b.matrix, groups: { reference: a.ids, target: b.ids } };
}
