// graftjs/zoo: all of @graftjs/zoo (ONNX encoder catalogue, text tokenizers' loaders, ...), through the package the
// app installed rather than through a transitive dependency's hoisting.
export * from '@graftjs/zoo';
