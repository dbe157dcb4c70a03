// What every renderer relies on in a compiled rig, checked independently of compileRig's own guards:
// buffers sized to the mesh, indices inside them, every number finite (also after deforming).
import { deformFrame } from "../deform";
import { FLOATS_PER_VERTEX, movableIndices, type MeshModel } from "../model";
import { VISEME_MOUTH } from "../../visemes/mouth-params";

const finite = (a: ArrayLike<number>) => {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
};

/** The invariants a MeshModel breaks, as short sentences (empty when it is valid). */
export function modelViolations(model: MeshModel): string[] {
  const out: string[] = [];
  const { cols, rows, mouthCols } = model.rig.mesh;
  const span = mouthCols[1] - mouthCols[0] + 1;
  if (model.baseCount !== cols * rows) out.push(`baseCount ${model.baseCount} != ${cols}x${rows}`);
  if (!(span >= 2)) out.push(`mouth span ${span}`);
  if (model.vertexCount !== model.baseCount + 2 * span) out.push(`vertexCount ${model.vertexCount}`);
  if (model.template.length !== model.vertexCount * FLOATS_PER_VERTEX) out.push(`template length ${model.template.length}`);
  for (const [name, arr] of Object.entries(model.k)) {
    if (arr.length !== model.baseCount) out.push(`k.${name} length ${arr.length}`);
    if (!finite(arr)) out.push(`k.${name} not finite`);
  }
  if (model.indices.length === 0 || model.indices.length % 3 !== 0) out.push(`indices length ${model.indices.length}`);
  if (model.indices.some((v) => v >= model.vertexCount)) out.push("index beyond the vertex buffer");
  const { top, bottom, firstDup } = model.cavity;
  if (top.length !== span || bottom.length !== span) out.push("cavity columns do not match the mouth span");
  if ([...top, ...bottom].some((v) => v < 0 || v >= model.baseCount)) out.push("cavity vertex out of range");
  if (firstDup !== model.baseCount) out.push("firstDup");
  if (!finite(model.template)) out.push("template not finite");
  if (!finite([...model.down, ...model.pivot, ...model.eyeWidth, model.mouthWidth])) out.push("uniforms not finite");
  if (!(model.mouthWidth > 0)) out.push(`mouthWidth ${model.mouthWidth}`);
  if (movableIndices(model).some((v) => v >= model.vertexCount)) out.push("movable index out of range");
  if (out.length > 0) return out;
  // A wide-open vowel, a closure and rest, at a time that catches a blink in the seeded slot.
  for (const [mouth, t] of [[VISEME_MOUTH.aa, 0.5], [VISEME_MOUTH.PP, 2.1], [VISEME_MOUTH.sil, 1.3]] as const) {
    if (!finite(deformFrame(model, { mouth, idle: { timeSec: t, listening: 0.5 } }))) out.push(`deformed frame at ${t} s not finite`);
  }
  return out;
}
