import { ClassStore } from './data/class-store';
import { configureRuntimes } from './runtime/configure-runtimes';
import { mountTextTab } from './text/text-tab';
import { Session } from './training/session';
import { backendPanel } from './ui/backend-panel';
import { classesPanel } from './ui/classes-panel';
import { modelPanel } from './ui/model-panel';
import { predictPanel } from './ui/predict-panel';
import { status } from './ui/status';
import { trainPanel } from './ui/train-panel';

// The page wires the panels to one Session (worker training + page-side model) and one ClassStore.
configureRuntimes();
const session = new Session();
const store = new ClassStore();
const models = modelPanel(session, () => enableFineTune());
const refresh = () => (models as HTMLElement & { refresh?: () => void }).refresh?.();
const training = trainPanel(session, store, refresh);
const enableFineTune = () => {
  refresh();
  (training.querySelector('#finetune') as HTMLButtonElement).disabled = session.model === null;
};

document
  .getElementById('app')!
  .append(backendPanel(session), classesPanel(store), training, predictPanel(session), models);
mountTextTab(document.getElementById('app')!);
status(`ready · cross-origin isolated: ${crossOriginIsolated ? 'yes (wasm threads allowed)' : 'no'}`);
