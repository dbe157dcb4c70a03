import "server-only";

// Indices into the 468-point MediaPipe face mesh (the topology @vladmandic/human's facemesh model
// outputs). Contours run corner to corner so they can be read as functions of x.
export const FACEMESH = {
  lipsUpperOuter: [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291],
  lipsLowerOuter: [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291],
  lipsUpperInner: [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308],
  lipsLowerInner: [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308],
  eyeAUpper: [33, 246, 161, 160, 159, 158, 157, 173, 133],
  eyeALower: [33, 7, 163, 144, 145, 153, 154, 155, 133],
  eyeBUpper: [362, 398, 384, 385, 386, 387, 388, 466, 263],
  eyeBLower: [362, 382, 381, 380, 374, 373, 390, 249, 263],
  faceOval: [
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136,
    172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
  ],
  forehead: 10,
  chin: 152,
  noseTip: 1,
  cheekA: 234,
  cheekB: 454,
} as const;
