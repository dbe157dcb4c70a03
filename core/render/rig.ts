/**
 * The avatar rig: everything the renderers need to animate one portrait, derived once by
 * "prepare" and stored as the avatar's cache manifest. Pure data, JSON-serialisable.
 *
 * Geometry is in crop-normalised units: (0,0) is the top-left of the square crop, (1,1) its
 * bottom-right, so one rig serves every output size.
 */

export const RIG_KIND = "tic-avatar-rig";
/** Bumped whenever the meaning of a field changes; renderers refuse rigs of another version. */
export const RIG_VERSION = 2;

export type Point = [number, number];

/** Upper and lower contour of an opening (eye or lips), each a polyline from one corner to the other, left to right. */
export type Contour = { upper: Point[]; lower: Point[] };

export type RigEye = Contour & { left: Point; right: Point };

export type RigMouth = {
  left: Point;
  right: Point;
  /** Outer edge of the lips (vermilion border). */
  outer: Contour;
  /** Inner edge of the lips: the seam the mouth opens along. */
  inner: Contour;
  /**
   * Whether the portrait shows its teeth between the inner lips (judged from the pixels, since
   * landmarks put a closed mouth a few pixels open). If so the renderers reuse them; if not
   * they draw a teeth band.
   */
  teethVisible: boolean;
  /**
   * The portrait's own lip and skin tones (RGB 0..1, sampled by prepare), from which the inner
   * mouth's colours are derived (mouth-palette.ts). Absent in rigs made before it: renderers then
   * sample their own copy of the portrait the same way.
   */
  palette?: RigMouthPalette;
};

export type RigMouthPalette = { lip: [number, number, number]; skin: [number, number, number] };

/** The curvilinear deformation grid; row and column roles say which rows run along which contour. */
export type RigMesh = {
  cols: number;
  rows: number;
  /** Rest vertex positions, row-major, [x0, y0, x1, y1, ...] in crop-normalised units. */
  positions: number[];
  /** Row indices of the contour rows. */
  rowOf: {
    upperLid: number;
    lowerLid: number;
    upperOuterLip: number;
    upperInnerLip: number;
    lowerInnerLip: number;
    lowerOuterLip: number;
    chin: number;
  };
  /** Column range [first, last] spanning the mouth corners (inclusive); the cavity lives between them. */
  mouthCols: [number, number];
  /** Column ranges spanning each eye, corners included. */
  eyeCols: [[number, number], [number, number]];
};

export type Rig = {
  kind: typeof RIG_KIND;
  version: typeof RIG_VERSION;
  /** Size of the original image in pixels. */
  source: { width: number; height: number };
  /** Square crop of the source (pixels) that frames the head and shoulders; outputs are this crop scaled. */
  crop: { x: number; y: number; size: number };
  face: {
    center: Point;
    width: number;
    height: number;
    /** In-plane tilt of the face (radians, clockwise positive in image coordinates). */
    roll: number;
    /** Face outline, clockwise from the top. */
    oval: Point[];
    chin: Point;
    noseTip: Point;
  };
  eyes: [RigEye, RigEye];
  mouth: RigMouth;
  /** The region that may move: an ellipse around head and neck; pixels outside it are never altered. */
  head: { center: Point; radii: Point };
  /** The rectangle the mesh covers (x0, y0, x1, y1); outside it the renderers copy the portrait. */
  region: [number, number, number, number];
  mesh: RigMesh;
  /** Seeds idle motion (blinks, sway) so every renderer of this avatar shows the same face. */
  seed: number;
};
