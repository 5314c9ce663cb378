import { describe, GraftError } from '../../errors/graft-error';

/**
 * Class indices for a list of image files, checked up front: string labels index `classNames` (sorted distinct
 * labels when none are given, as `Dataset.from`), integer labels must lie in 0..classNames.length-1. A label
 * outside the classes is refused naming its file, before any image is read.
 */
export function streamLabels(
  files: readonly string[],
  labels: unknown,
  classNames: string[] | undefined,
): { labels: number[]; classNames: string[] } {
  if (!Array.isArray(labels) || labels.length !== files.length) {
    throw new GraftError(
      'LENGTH_MISMATCH',
      `expected one label per image file (${files.length}), got ${Array.isArray(labels) ? labels.length : describe(labels)}`,
    );
  }
  const strings = labels.every((l) => typeof l === 'string');
  const names = classNames ?? (strings ? [...new Set(labels as string[])].sort() : undefined);
  if (!names) {
    throw new GraftError('INVALID_OPTION', 'expected classNames with integer labels for a stream of image files');
  }
  const out = labels.map((l, i) => classIndex(l, names, files[i]));
  return { labels: out, classNames: [...names] };
}

/**
 * The class index of one label: a name among `names` (else UNKNOWN_CLASS) or an integer index into them (else
 * LABEL_OUT_OF_RANGE), the error naming the image `name`.
 */
export function classIndex(label: unknown, names: readonly string[], name: string): number {
  const at = `image ${JSON.stringify(name)}`;
  if (typeof label === 'string') {
    const c = names.indexOf(label);
    if (c < 0) {
      throw new GraftError('UNKNOWN_CLASS', `${at}: expected a label among [${names.join(', ')}], got "${label}"`, {
        path: name,
        label,
      });
    }
    return c;
  }
  if (!Number.isInteger(label) || (label as number) < 0 || (label as number) >= names.length) {
    throw new GraftError(
      'LABEL_OUT_OF_RANGE',
      `${at}: expected a class index in 0..${names.length - 1} (${names.length} class names), got ${describe(label)}`,
      { path: name, label },
    );
  }
  return label as number;
}
