// graftjs/use-lite: USE Lite's files for sentenceEncoder() in a browser, emitted by the app's bundler. A subpath of
// its own, as graftjs/onnx: only apps that import it ship the encoder's 28 MB.
export { useLiteFiles } from '@graftjs/zoo/use-lite';
