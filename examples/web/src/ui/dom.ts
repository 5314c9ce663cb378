type Attrs = Record<string, string | number | boolean | ((e: Event) => void)>;

/** Creates an element: string attributes are set, functions become listeners (`onclick` -> 'click'). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') node.addEventListener(k.replace(/^on/, ''), v);
    else if (typeof v === 'boolean') {
      if (v) node.setAttribute(k, '');
    } else node.setAttribute(k, String(v));
  }
  node.append(...children);
  return node;
}

/** A titled section of the page. */
export function panel(id: string, title: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', { id, class: 'panel' }, el('h2', {}, title), ...children);
}

/** Calls `onFiles` with image files dropped on `target` (and keeps the browser from opening them). */
export function onDrop(target: HTMLElement, onFiles: (files: File[]) => void): void {
  target.addEventListener('dragover', (e) => {
    e.preventDefault();
    target.classList.add('over');
  });
  target.addEventListener('dragleave', () => target.classList.remove('over'));
  target.addEventListener('drop', (e) => {
    e.preventDefault();
    target.classList.remove('over');
    onFiles([...(e.dataTransfer?.files ?? [])]);
  });
}
