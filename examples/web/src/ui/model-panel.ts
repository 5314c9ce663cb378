import type { Session } from '../training/session';
import { el, panel } from './dom';
import { guarded, status } from './status';

function downloadBytes(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = el('a', { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Save to IndexedDB, load it back (also after a reload), download the tfjs files and the ONNX export. */
export function modelPanel(session: Session, onLoaded: () => void): HTMLElement {
  const info = el('p', { id: 'model-info', class: 'small' }, 'no model yet');
  const describe = () => {
    const m = session.model;
    info.textContent = m
      ? `model: ${session.kind}, classes ${JSON.stringify(m.classNames ?? [])}, ${m.history.loss.length} epochs trained`
      : 'no model yet';
  };
  const button = (id: string, text: string, what: string, action: () => Promise<void>) =>
    el('button', { id, type: 'button', onclick: () => guarded(what, action) }, text);
  const node = panel(
    'model-panel',
    '5. Keep the model',
    el(
      'div',
      { class: 'row' },
      button('save', 'Save in this browser', 'saving', async () => {
        await session.save();
        status('saved to indexeddb://graft-example');
        node.dataset.saved = 'yes';
      }),
      button('load', 'Load the saved model', 'loading', async () => {
        await session.load();
        describe();
        onLoaded();
        status('loaded from indexeddb://graft-example');
        node.dataset.loaded = 'yes';
      }),
      button('download', 'Download (tfjs files)', 'downloading', () => session.download()),
      button('download-onnx', 'Download ONNX', 'exporting', async () => {
        const bytes = await session.exportOnnx();
        downloadBytes(bytes, 'graft-model.onnx');
        status(`ONNX export: ${bytes.length} bytes`);
      }),
    ),
    info,
  );
  (node as HTMLElement & { refresh?: () => void }).refresh = describe;
  return node;
}
