import type { DecodedModel } from '../onnx/decode';
import type { GraphEdit } from '../onnx/rewrite';
import { rewriteOnnx } from '../onnx/rewrite';
import { DATA_TYPE } from '../onnx/schema';
import type { FeaturePlan } from './feature-output';
import type { GraphInput } from './graph-input';
import { nhwcFeed } from './nhwc-feed';

/** The file as the exporter joins heads to it (features exposed), and as the session runs it (NHWC fed too). */
export interface BackboneGraphs {
  /** The feature tensor as a graph output; the input as the file has it. */
  exposed: Uint8Array;
  /** What the session loads: `exposed`, plus an NHWC input transposed inside the graph for NCHW files. */
  session: Uint8Array;
  /** The session's input name. */
  sessionInput: string;
}

export function backboneGraphs(
  bytes: Uint8Array,
  model: DecodedModel,
  plan: FeaturePlan,
  g: GraphInput,
): BackboneGraphs {
  const features: GraphEdit = plan.isOutput
    ? {}
    : {
        appendNodes: plan.nodes,
        addOutputs: [
          plan.auto
            ? { name: plan.name, elemType: DATA_TYPE.float, dims: ['N', 'graft_features'] }
            : { name: plan.name, dims: null },
        ],
      };
  const exposed = plan.isOutput ? bytes : rewriteOnnx(bytes, model, features);
  if (!(g.image && g.layout === 'nchw')) return { exposed, session: exposed, sessionInput: g.input.name };
  const feed = nhwcFeed(model, g.input, g.inputShape);
  const session = rewriteOnnx(bytes, model, { ...features, prependNodes: feed.nodes, inputs: [feed.input] });
  return { exposed, session, sessionInput: feed.name };
}
