import { smoothstep } from "./geometry";

/**
 * The face's emotional expression, as the deformation applies it. Computed once here and handed to
 * every tier (deformFrame), so WebGPU, canvas2d and the server draw the same face.
 * Units: fractions of the feature's own size; 0 everywhere is the portrait's own face.
 */
export type Expression = {
  /** Mouth corners up and out (0..1). */
  smile: number;
  /** Cheeks lifted, lower lids pushed up with them (0..1). */
  cheek: number;
  /** Brows up (> 0) or down (< 0), -1..1. */
  browRaise: number;
  /** Inner brow ends drawn together and down (0..1). */
  browKnit: number;
  /** Lids wider (> 0) or narrowed (< 0), -1..1. */
  eyeOpen: number;
  /** Head pose bias: pitch (> 0 chin down), roll (radians), both small. */
  headPitch: number;
  headRoll: number;
};

/** Speech gestures on stressed syllables (core/render/prosody-gestures.ts), 0..1 each. */
export type Gesture = { brow: number; nod: number };

export const NEUTRAL_EXPRESSION: Expression = { smile: 0, cheek: 0, browRaise: 0, browKnit: 0, eyeOpen: 0, headPitch: 0, headRoll: 0 };
export const NO_GESTURE: Gesture = { brow: 0, nod: 0 };

/**
 * Every emotion the voice knows (server/services/tts/espeak-params.ts EMOTION_PROSODY) has a face;
 * the index is the emotion's id in the avatar mux (motion record, minor 1). Append only.
 */
export const EMOTIONS = ["neutral", "curious", "happy", "serious", "excited", "surprised", "calm", "sad", "angry"] as const;
export type EmotionName = (typeof EMOTIONS)[number];

const FACES: Record<EmotionName, Expression> = {
  neutral: NEUTRAL_EXPRESSION,
  // Attentive: brows up a little, eyes open, a slight tilt and a hint of a smile.
  curious: { smile: 0.2, cheek: 0.1, browRaise: 0.45, browKnit: 0, eyeOpen: 0.3, headPitch: -0.004, headRoll: 0.02 },
  happy: { smile: 1, cheek: 0.8, browRaise: 0.2, browKnit: 0, eyeOpen: -0.25, headPitch: -0.006, headRoll: 0.012 },
  // Knit, slightly lowered brows, level lids, chin a touch down.
  serious: { smile: 0, cheek: 0, browRaise: -0.35, browKnit: 0.8, eyeOpen: -0.15, headPitch: 0.008, headRoll: 0 },
  excited: { smile: 0.9, cheek: 0.7, browRaise: 0.6, browKnit: 0, eyeOpen: 0.35, headPitch: -0.008, headRoll: 0.015 },
  surprised: { smile: 0, cheek: 0, browRaise: 1, browKnit: 0, eyeOpen: 0.7, headPitch: -0.01, headRoll: 0 },
  calm: { smile: 0.3, cheek: 0.15, browRaise: 0, browKnit: 0, eyeOpen: -0.2, headPitch: 0.003, headRoll: 0.01 },
  sad: { smile: 0, cheek: 0, browRaise: 0.3, browKnit: 0.6, eyeOpen: -0.3, headPitch: 0.012, headRoll: -0.015 },
  angry: { smile: 0, cheek: 0.1, browRaise: -0.8, browKnit: 1, eyeOpen: -0.1, headPitch: 0.01, headRoll: 0 },
};

const KEYS = Object.keys(NEUTRAL_EXPRESSION) as (keyof Expression)[];

/** The emotion's mux id; unknown names are neutral (as the voice treats them). */
export function emotionId(name: string | undefined): number {
  const i = EMOTIONS.indexOf((name ?? "").trim().toLowerCase() as EmotionName);
  return i < 0 ? 0 : i;
}

/** The target expression of an emotion (by name or mux id); unknown ones are neutral. */
export function expressionOf(emotion: string | number): Expression {
  const name = typeof emotion === "number" ? EMOTIONS[emotion] : EMOTIONS[emotionId(emotion)];
  return FACES[name ?? "neutral"];
}

/** How long a change of emotion takes to blend in (seconds). */
export const EXPRESSION_BLEND_SEC = 0.35;

/**
 * Blends between emotions over time: a change starts from whatever the face shows at that moment
 * (also mid-blend) and eases (smoothstep) to the new target over EXPRESSION_BLEND_SEC, so the face
 * never snaps. Deterministic in (emotion, t) calls; a time earlier than the last one restarts at
 * the current target (a new clock, e.g. a seek), so replays give the same frames.
 */
export class ExpressionBlend {
  private from: Expression;
  private target: Expression;
  private targetId: number;
  private since = 0;
  private lastT = -Infinity;

  constructor(emotion: string | number = 0) {
    this.targetId = typeof emotion === "number" ? emotion : emotionId(emotion);
    this.target = this.from = expressionOf(this.targetId);
  }

  /** The blended expression at time `t` (seconds) with `emotion` the wanted one from now on. */
  at(emotion: string | number, t: number, out: Expression = { ...NEUTRAL_EXPRESSION }): Expression {
    const id = typeof emotion === "number" ? emotion : emotionId(emotion);
    if (t < this.lastT) {
      this.from = this.target;
      this.since = t;
    }
    if (id !== this.targetId) {
      this.from = mixInto({ ...NEUTRAL_EXPRESSION }, this.from, this.target, this.progress(t));
      this.target = expressionOf(id);
      this.targetId = id;
      this.since = t;
    }
    this.lastT = t;
    return mixInto(out, this.from, this.target, this.progress(t));
  }

  private progress(t: number): number {
    return smoothstep(0, EXPRESSION_BLEND_SEC, t - this.since);
  }
}

function mixInto(out: Expression, a: Expression, b: Expression, w: number): Expression {
  for (const k of KEYS) out[k] = a[k] + (b[k] - a[k]) * w;
  return out;
}
