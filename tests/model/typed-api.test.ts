import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures/typed-api.ts');

/** Type-checks one file under the repository's compiler options; returns its diagnostics as text. */
function typeErrors(file: string): string[] {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram([file], { ...options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.relative(ROOT, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe('typed results (predict overloads, evaluate result)', () => {
  it('the fixture compiles: one sample in -> one Prediction, a batch in -> an array, evaluate names its metrics', () => {
    expect(typeErrors(FIXTURE)).toEqual([]);
  });
});
