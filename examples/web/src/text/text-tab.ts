import { el } from '../ui/dom';
import { textPanel } from './text-panel';
import { TextSession } from './text-session';
import './text.css';

/**
 * Adds an Images / Text tab bar under the backend panel of `app`, and the text panel as the Text tab. The Images tab
 * is every other panel of the page, whatever they are, so this file needs to know none of them.
 */
export function mountTextTab(app: HTMLElement): void {
  const text = textPanel(new TextSession());
  const tab = (id: string, label: string) =>
    el('button', { id, type: 'button', role: 'tab', onclick: () => show(id === 'tab-text') }, label);
  const images = tab('tab-images', 'Images');
  const texts = tab('tab-text', 'Text');
  const bar = el('nav', { class: 'tabs', role: 'tablist' }, images, texts);
  const show = (textShown: boolean) => {
    for (const child of app.children) {
      if (child === bar || child.id === 'backend-panel') continue;
      (child as HTMLElement).hidden = (child === text) !== textShown;
    }
    images.setAttribute('aria-selected', String(!textShown));
    texts.setAttribute('aria-selected', String(textShown));
  };
  const backend = app.querySelector('#backend-panel');
  if (backend) backend.after(bar);
  else app.prepend(bar);
  app.append(text);
  show(false);
}
