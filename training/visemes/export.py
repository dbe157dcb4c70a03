"""Export the trained net as the streaming ONNX graph and a spec JSON.

Inputs: feats [1, N, 40] and state [1, 1, S] (every layer's history,
packed); outputs: probs [1, N, 15] and state_out [1, 1, S]. Only
Sub/Mul/Transpose/Concat/Slice/Reshape/Conv/Relu/Add/Softmax, all of which
onnxruntime's WASM, WebGPU and CPU providers run.
"""
import argparse
import json
from collections import Counter

import onnx
import torch

import model as M


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_pt")
    ap.add_argument("onnx_out")
    ap.add_argument("spec_out")
    a = ap.parse_args()
    torch.set_num_threads(1)
    saved = torch.load(a.model_pt)
    net = M.VisemeNet(**saved["config"])
    net.load_state_dict(saved["weights"])
    net.eval()
    s = M.StreamingNet(net).eval()
    size = s.state_size()
    feats = torch.randn(1, 9, M.N_MELS)
    state = torch.zeros(1, 1, size)
    in_names, out_names = ["feats", "state"], ["probs", "state_out"]
    torch.onnx.export(s, (feats, state), a.onnx_out, input_names=in_names, output_names=out_names,
                      dynamic_axes={"feats": {1: "frames"}, "probs": {1: "frames"}}, opset_version=17,
                      do_constant_folding=True)
    m = onnx.load(a.onnx_out)
    onnx.checker.check_model(m)
    ops = Counter(nd.op_type for nd in m.graph.node)
    # onnxruntime-web's WebGPU provider computed wrong values for an 8-input Concat (see model.py);
    # the exporter fuses some of the pairwise Concats back, and 5 inputs is what e2e has shown to work
    wide = [len(nd.input) for nd in m.graph.node if nd.op_type == "Concat" and len(nd.input) > 5]
    assert not wide, f"Concat with {wide} inputs: WebGPU needs every Concat at 5 inputs or fewer"
    params = sum(p.numel() for p in net.parameters())
    spec = dict(inputs=in_names, outputs=out_names, melBins=M.N_MELS, visemes=M.N_VISEMES,
                lookaheadFrames=M.LOOKAHEAD, caches=[[1, size]], layers=[list(x) for x in s.shapes], config=net.config(), silenceFeature=M.SILENCE_FEATURE,
                params=params, ops=dict(ops))
    with open(a.spec_out, "w") as f:
        json.dump(spec, f, indent=1)
    print(json.dumps(spec))


if __name__ == "__main__":
    main()
