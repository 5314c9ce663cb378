import { backends } from 'graftjs';
import type { Session } from '../training/session';
import { el, panel } from './dom';
import { guarded, status } from './status';

/** Backend picker: shows which backend the worker trains on and the page predicts on, and why. */
export function backendPanel(session: Session): HTMLElement {
  const select = el(
    'select',
    { id: 'backend', 'aria-label': 'backend' },
    ...['auto', 'webgpu', 'wasm', 'cpu'].map((b) => el('option', { value: b }, b)),
  );
  const chosen = el('p', { id: 'backend-status' }, 'not chosen yet');
  const available = el('ul', { id: 'backend-list', class: 'small' });

  async function apply(): Promise<void> {
    chosen.textContent = `starting ${select.value}…`;
    select.disabled = true;
    try {
      const { worker, page } = await session.useBackend(select.value);
      chosen.dataset.backend = worker.name;
      chosen.textContent = `training (worker): ${worker.name} — ${worker.reason}. prediction (page): ${page.name}.`;
      status(`backend: ${worker.name}`);
    } catch (e) {
      chosen.dataset.backend = '';
      chosen.textContent = `${select.value} is not usable here: ${(e as Error).message}`;
      throw e;
    } finally {
      select.disabled = false;
      available.replaceChildren(
        ...(await backends.list()).map((b) =>
          el('li', {}, `${b.name}: ${b.available ? 'available' : 'unavailable'} — ${b.reason}`),
        ),
      );
    }
  }

  select.addEventListener('change', () => void guarded('choosing the backend', apply));
  queueMicrotask(() => void guarded('choosing the backend', apply));
  return panel(
    'backend-panel',
    '1. Backend',
    el('label', {}, 'Run on ', select),
    chosen,
    el('details', {}, el('summary', {}, 'all backends'), available),
  );
}
