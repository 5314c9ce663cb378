import { describe, GraftError } from '@graftjs/core';

/** A SentencePiece unigram vocabulary as USE ships it (vocab.json): `[piece, logProbability]` per id. */
export type UnigramVocab = readonly (readonly [string, number | null])[];

/** USE's word-start marker (U+2581, "lower one eighth block"). */
const WORD_START = '\u2581';
/** Ids below this are unk, control and user symbols, never matched in text (as in SentencePiece). */
const RESERVED = 6;

interface TrieNode {
  children: Map<string, TrieNode>;
  id: number;
}

/**
 * SentencePiece unigram encoding (EncodeAsIds): the Viterbi path of highest total log probability over the
 * vocabulary, with text NFKC-normalised and every space (and the start) marked with '▁'. Written here because no
 * well-kept npm library reads USE's vocab.json (sentencepiece ports want the .model protobuf, transformers.js a
 * tokenizer.json); it matches `@tensorflow-models/universal-sentence-encoder` 1.3.3's port id for id, including its
 * choices: a character outside the vocabulary is id 0 (unk) scoring 0, runs of unks merge into one, ties go to the
 * later candidate, and text is walked in UTF-16 code units.
 */
export class UnigramTokenizer {
  private readonly root: TrieNode = { children: new Map(), id: -1 };
  private readonly pieceLength: number[];

  constructor(private readonly vocab: UnigramVocab) {
    if (!Array.isArray(vocab) || vocab.length <= RESERVED)
      throw new GraftError(
        'INVALID_MODEL_FILE',
        `expected a vocabulary of [piece, score] pairs, got ${describe(vocab)}`,
      );
    this.pieceLength = vocab.map((p) => p[0].length);
    for (let id = RESERVED; id < vocab.length; id++) this.insert(vocab[id][0], id);
  }

  get size(): number {
    return this.vocab.length;
  }

  /** Piece ids of one text (empty for an empty text). */
  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    if (normalized.length === 0) return [];
    const s = WORD_START + normalized.replace(/ /g, WORD_START);
    const n = s.length;
    const best = new Float64Array(n + 1);
    const word = new Int32Array(n + 1);
    const from = new Int32Array(n + 1);
    // forward: each position's best piece ending there (0 means "unset", as in the reference port)
    const arcs: { start: number; id: number }[][] = Array.from({ length: n + 1 }, () => []);
    for (let i = 0; i < n; i++) for (const [id, len] of this.matches(s, i)) arcs[i + len].push({ start: i, id });
    for (let end = 1; end <= n; end++) {
      for (const { start, id } of arcs[end]) {
        const score = (id === 0 ? 0 : (this.vocab[id][1] ?? 0)) + best[start];
        if (best[end] === 0 || score >= best[end]) {
          best[end] = score;
          word[end] = id;
          from[end] = start;
        }
      }
    }
    return this.backtrack(word, n);
  }

  private backtrack(word: Int32Array, n: number): number[] {
    const ids: number[] = [];
    // steps back by the chosen piece's length; unk (id 0, '\ufffd') steps one unit, as the reference does
    for (let i = n; i > 0; i -= this.pieceLength[word[i]]) {
      const id = word[i];
      if (!(id === 0 && ids[ids.length - 1] === 0)) ids.push(id);
    }
    return ids.reverse();
  }

  /** [id, length] of every vocabulary piece starting at `i`; unk of length 1 when none does. */
  private matches(s: string, i: number): [number, number][] {
    const out: [number, number][] = [];
    let node = this.root.children.get(s[i]);
    for (let j = i; node; j++) {
      if (node.id >= 0) out.push([node.id, j - i + 1]);
      node = j + 1 < s.length ? node.children.get(s[j + 1]) : undefined;
    }
    if (out.length === 0) out.push([0, 1]);
    return out;
  }

  private insert(piece: string, id: number): void {
    let node = this.root;
    for (let k = 0; k < piece.length; k++) {
      let next = node.children.get(piece[k]);
      if (!next) {
        next = { children: new Map(), id: -1 };
        node.children.set(piece[k], next);
      }
      node = next;
    }
    node.id = id;
  }
}
