/** The classes a person builds: a name and small canvases of their pictures. Listeners redraw the page. */
export interface ImageClass {
  id: number;
  name: string;
  images: HTMLCanvasElement[];
}

export class ClassStore {
  readonly classes: ImageClass[] = [];
  private nextId = 1;
  private readonly listeners: (() => void)[] = [];

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  add(name: string, images: HTMLCanvasElement[] = []): ImageClass {
    const c = { id: this.nextId++, name, images };
    this.classes.push(c);
    this.changed();
    return c;
  }

  addImages(id: number, images: HTMLCanvasElement[]): void {
    const c = this.classes.find((k) => k.id === id);
    if (!c) return;
    c.images.push(...images);
    this.changed();
  }

  rename(id: number, name: string): void {
    const c = this.classes.find((k) => k.id === id);
    if (c) c.name = name;
  }

  remove(id: number): void {
    const i = this.classes.findIndex((k) => k.id === id);
    if (i >= 0) this.classes.splice(i, 1);
    this.changed();
  }

  replaceAll(list: { name: string; images: HTMLCanvasElement[] }[]): void {
    this.classes.length = 0;
    for (const c of list) this.classes.push({ id: this.nextId++, ...c });
    this.changed();
  }

  /** What training needs: at least two classes, each with at least one picture. */
  problem(): string | null {
    if (this.classes.length < 2) return 'add at least two classes';
    const empty = this.classes.find((c) => c.images.length === 0);
    if (empty) return `class "${empty.name}" has no pictures yet`;
    const names = new Set(this.classes.map((c) => c.name.trim()));
    if (names.size !== this.classes.length || names.has('')) return 'give every class a different, non-empty name';
    return null;
  }
}
