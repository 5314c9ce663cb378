import { encodeModel } from '../src/onnx/encode';
import { DATA_TYPE, IR_VERSION, OPSET_VERSION } from '../src/onnx/schema';
import { randomArray } from './helpers';

/**
 * A made vocabulary (vocab.txt: line number = id) for the tokenizer tests and the tiny model. Reference ids in the
 * tests are read off these line numbers by hand.
 */
export const VOCAB = [
  '[PAD]', // 0
  '[UNK]', // 1
  '[CLS]', // 2
  '[SEP]', // 3
  '[MASK]', // 4
  'the', // 5
  'cafe', // 6
  'play', // 7
  '##ing', // 8
  '##s', // 9
  'un', // 10
  '##aff', // 11
  '##able', // 12
  ',', // 13
  '!', // 14
  '.', // 15
  "'", // 16
  '中', // 17
  '文', // 18
  'naive', // 19
  'is', // 20
  'good', // 21
  'it', // 22
  's', // 23
  'a', // 24
  '##a', // 25
  'free', // 26
  'prize', // 27
  'call', // 28
  'now', // 29
  'see', // 30
  'you', // 31
  'at', // 32
  'lunch', // 33
  'win', // 34
  'home', // 35
  'dinner', // 36
  'tonight', // 37
  '?', // 38
  'cash', // 39
];

export const HIDDEN = 8;
export const MAX_POSITIONS = 64;

/** The tiny model's weights, seeded, so a test can compute its outputs by hand. */
export interface TinyBertWeights {
  words: Float32Array; // [VOCAB.length, HIDDEN]
  positions: Float32Array; // [MAX_POSITIONS, HIDDEN]
  types: Float32Array; // [2, HIDDEN]
  dense: Float32Array; // [HIDDEN, HIDDEN]
}

export function tinyBertWeights(seed = 11): TinyBertWeights {
  return {
    words: randomArray(VOCAB.length * HIDDEN, seed),
    positions: randomArray(MAX_POSITIONS * HIDDEN, seed + 1, -0.5, 0.5),
    types: randomArray(2 * HIDDEN, seed + 2, -0.5, 0.5),
    dense: randomArray(HIDDEN * HIDDEN, seed + 3),
  };
}

/**
 * A BERT-shaped ONNX graph, written with graft's own encoder: token states
 * last_hidden_state = tanh((words[input_ids] + types[token_type_ids] + positions[0..t)) @ dense), [b, t, HIDDEN].
 * It has no attention, so a padded position changes nothing but its own state: pooling must mask it out.
 */
export function tinyBert(
  w: TinyBertWeights,
  options: { types?: boolean; mask?: boolean; int32?: boolean; fixedLength?: number } = {},
): Uint8Array {
  const withTypes = options.types ?? true;
  const elemType = options.int32 ? DATA_TYPE.int32 : DATA_TYPE.int64;
  const seq = options.fixedLength ?? 'sequence';
  const tokenInput = (name: string) => ({ name, elemType, dims: ['batch', seq] });
  const scalar = (name: string, v: number) => ({ name, dims: [], data: new BigInt64Array([BigInt(v)]) });
  const ids = 'input_ids'; // Gather takes int32 or int64 indices alike
  return encodeModel({
    graphName: 'tiny_bert',
    nodes: [
      { opType: 'Gather', inputs: ['words', ids], outputs: ['we'] },
      { opType: 'Shape', inputs: [ids], outputs: ['shape'] },
      { opType: 'Gather', inputs: ['shape', 'one'], outputs: ['len'] },
      { opType: 'Range', inputs: ['zero', 'len', 'one'], outputs: ['pos'] },
      { opType: 'Gather', inputs: ['positions', 'pos'], outputs: ['pe'] },
      { opType: 'Add', inputs: ['we', 'pe'], outputs: ['s1'] },
      ...(withTypes
        ? [
            { opType: 'Gather', inputs: ['types', 'token_type_ids'], outputs: ['te'] },
            { opType: 'Add', inputs: ['s1', 'te'], outputs: ['s2'] },
          ]
        : [{ opType: 'Identity', inputs: ['s1'], outputs: ['s2'] }]),
      { opType: 'MatMul', inputs: ['s2', 'dense'], outputs: ['pre'] },
      { opType: 'Tanh', inputs: ['pre'], outputs: ['last_hidden_state'] },
    ],
    initializers: [
      { name: 'words', dims: [VOCAB.length, HIDDEN], data: w.words },
      { name: 'positions', dims: [MAX_POSITIONS, HIDDEN], data: w.positions },
      { name: 'types', dims: [2, HIDDEN], data: w.types },
      { name: 'dense', dims: [HIDDEN, HIDDEN], data: w.dense },
      scalar('zero', 0),
      scalar('one', 1),
    ],
    inputs: [
      tokenInput('input_ids'),
      ...(options.mask === false ? [] : [tokenInput('attention_mask')]),
      ...(withTypes ? [tokenInput('token_type_ids')] : []),
    ],
    outputs: [{ name: 'last_hidden_state', elemType: DATA_TYPE.float, dims: ['batch', seq, HIDDEN] }],
    opsets: [{ domain: '', version: OPSET_VERSION }],
    irVersion: IR_VERSION,
  });
}

/** The token states of one unpadded id row, by hand (the reference for the graph above). */
export function tokenStates(w: TinyBertWeights, ids: number[]): number[][] {
  return ids.map((id, t) => {
    const s = Array.from(
      { length: HIDDEN },
      (_, k) => w.words[id * HIDDEN + k] + w.positions[t * HIDDEN + k] + w.types[k],
    );
    return Array.from({ length: HIDDEN }, (_, j) =>
      Math.tanh(s.reduce((acc, v, k) => acc + v * w.dense[k * HIDDEN + j], 0)),
    );
  });
}

/** Mean over tokens, then L2 normalisation where asked: graft's default pooling, by hand. */
export function meanPooled(states: number[][], normalize = true): number[] {
  const mean = states[0].map((_, k) => states.reduce((a, s) => a + s[k], 0) / states.length);
  if (!normalize) return mean;
  const norm = Math.hypot(...mean);
  return mean.map((v) => v / norm);
}
