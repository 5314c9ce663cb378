// Trains a tiny classifier in the page and reports what happened on window.graftResult (and in the page),
// for tests/consumers/bundlers.test.ts. `graft` is the module the app imported (graftjs or @graftjs/core).
// The backend comes from ?backend= (default wasm). With `{ onnx: true }` it also predicts the test set on ONNX
// Runtime (`predict(x, { backend: 'onnx' })`) and reports that accuracy as onnxAccuracy.

/** 240 seeded points in 3 blobs, 4 features: learnable to well above chance (1/3) in a few epochs. */
function blobs(n, seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const x = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([0, 1, 2, 3].map((j) => (j === c ? 2 : 0) + next() - 0.5));
    y.push(c);
  }
  return { x, y };
}

function show(result) {
  window.graftResult = result;
  const out = document.getElementById('result');
  if (out) out.textContent = JSON.stringify(result, null, 2);
}

/** Share of `predictions` whose index is the class in `labels`. */
function accuracyOf(predictions, labels) {
  return predictions.filter((p, i) => p.index === labels[i]).length / labels.length;
}

export async function trainAndReport(graft, options = {}) {
  const want = new URLSearchParams(location.search).get('backend') ?? 'wasm';
  try {
    const choice = await graft.backends.use(want);
    const model = graft
      .sequential({ inputShape: [4], seed: 3 })
      .dense(16, { activation: 'relu' })
      .dense(3, { activation: 'softmax' });
    const train = blobs(240, 7);
    const test = blobs(90, 8);
    await model.fit(train.x, train.y, { epochs: 15, batchSize: 16, learningRate: 0.05, seed: 5 });
    const { accuracy } = await model.evaluate(test.x, test.y);
    const onnxAccuracy = options.onnx
      ? accuracyOf(await model.predict(test.x, { backend: 'onnx', batch: true }), test.y)
      : undefined;
    const listed = (await graft.backends.list()).find((b) => b.name === choice.name);
    show({
      onnxAccuracy,
      ok: true,
      backend: choice.name,
      reason: listed?.reason ?? choice.reason,
      accuracy,
      isolated: crossOriginIsolated,
    });
    await model.dispose();
  } catch (e) {
    show({ ok: false, backend: want, error: String(e?.message ?? e), code: e?.code });
  }
}
