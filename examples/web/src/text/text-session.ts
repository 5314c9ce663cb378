import { backends, type ClassPrediction, type Model, type SentenceEncoder, sentenceEncoder, transfer } from 'graftjs';
import { useLiteFiles } from 'graftjs/use-lite';

/** One class of the text tab: its name and its example sentences. */
export interface TextClass {
  name: string;
  examples: string[];
}

/**
 * The text tab's model, on the page: USE Lite (loaded once, from the files Vite emitted for graftjs/use-lite) and a
 * softmax head solved on its embeddings. It runs on the page's backend, the one the backend panel chose.
 */
export class TextSession {
  model: Model | null = null;
  /** The backend the model was trained on; prediction runs there too. */
  backend = '';
  private encoder: Promise<SentenceEncoder> | null = null;

  /** Loads the encoder on first use (28 MB, verified against pinned digests); later calls reuse it. */
  loadEncoder(): Promise<SentenceEncoder> {
    this.encoder ??= sentenceEncoder({ from: useLiteFiles() }).catch((e) => {
      this.encoder = null;
      throw e;
    });
    return this.encoder;
  }

  /** Trains a fresh model on the classes: fit with no training options, so the linear head is solved. */
  async train(classes: readonly TextClass[]): Promise<Model> {
    const texts = classes.flatMap((c) => c.examples);
    const labels = classes.flatMap((c, i) => c.examples.map(() => i));
    const encoder = await this.loadEncoder();
    const model = await transfer(encoder, { seed: 1 })
      .addHead(classes.length)
      .fit(texts, labels, { seed: 1, classNames: classes.map((c) => c.name) });
    await this.model?.dispose();
    this.model = model;
    this.backend = backends.current()?.name ?? '';
    return model;
  }

  async predict(text: string): Promise<ClassPrediction> {
    if (!this.model) throw new Error('train the text model first');
    return (await this.model.predict(text)) as ClassPrediction;
  }
}
