import { buildCorpus, type CorpusEntry } from '../../../src/fuzz/corpus.js';

/** The fuzz seed corpus, built once per test file. */
export const corpus: readonly CorpusEntry[] = buildCorpus();
export const realCaptures = corpus.filter((entry) => entry.name.startsWith('real/'));
export const writerCaptures = corpus.filter((entry) => !entry.name.startsWith('real/'));
