// Portrait mesh renderer. Vertex positions come already deformed from core/render/deform.ts;
// this shader only rasterises them, samples the portrait and shades the inner mouth.
// `cavity_color` mirrors core/render/cavity.ts line for line: the PSNR test compares the two.

struct Uniforms {
  down: vec2f,        // face-down unit vector (image space)
  mouth_width: f32,   // crop-normalised
  px: f32,            // one output pixel, crop-normalised
  // Inner-mouth colours from the portrait's own tones (core/render/mouth-palette.ts), rgb + pad.
  throat: vec4f,
  throat_edge: vec4f,
  tongue: vec4f,
  teeth: vec4f,
};

@group(0) @binding(0) var<uniform> U: Uniforms;
@group(0) @binding(1) var portrait: texture_2d<f32>;
// Linear filtering with clamp-to-edge, the same bilinear sample the CPU rasteriser takes.
@group(0) @binding(2) var bilinear: sampler;

struct VertexIn {
  @location(0) pos: vec2f,
  @location(1) uv: vec2f,
  // mouth u (-1..1), depth below the upper lip, portrait's own interior height, gap (< 0: not cavity)
  @location(2) cav: vec4f,
  @location(3) anchor: vec2f,
};

struct VertexOut {
  @builtin(position) clip: vec4f,
  @location(0) uv: vec2f,
  @location(1) cav: vec4f,
  @location(2) anchor: vec2f,
};

@vertex
fn vs_main(v: VertexIn) -> VertexOut {
  var o: VertexOut;
  o.clip = vec4f(v.pos.x * 2.0 - 1.0, 1.0 - v.pos.y * 2.0, 0.0, 1.0);
  o.uv = v.uv;
  o.cav = v.cav;
  o.anchor = v.anchor;
  return o;
}

fn sample_rgb(uv: vec2f) -> vec3f {
  // Level 0 explicitly: sampling happens in non-uniform control flow (cavity or not).
  return textureSampleLevel(portrait, bilinear, uv, 0.0).rgb;
}

fn cavity_color(mu: f32, depth: f32, interior: f32, gap: f32, anchor: vec2f, own_uv: vec2f) -> vec3f {
  let mw = U.mouth_width;
  let px = U.px;
  let au = min(1.0, abs(mu));
  let throat = smoothstep(0.15, 1.0, au);
  var c = mix(U.throat.rgb, U.throat_edge.rgb, throat);
  let m = mu / 0.8;
  let tongue_top = gap - min(0.45 * gap, 0.13 * mw) * max(0.0, 1.0 - m * m);
  let on_tongue = smoothstep(tongue_top - px, tongue_top + px, depth) * (1.0 - smoothstep(0.75, 0.85, au));
  let lit = 0.75 + 0.25 * (1.0 - smoothstep(tongue_top, gap, depth));
  c = mix(c, U.tongue.rgb * lit, on_tongue);
  let edge = min(depth, gap - depth);
  let ao = 0.75 + 0.25 * smoothstep(0.0, 2.0 * px, edge);
  c = c * ao;
  let lip_shadow = 0.85 + 0.15 * smoothstep(0.0, 2.0 * px, depth);
  if (interior > 2.0 * px) {
    let keep = 0.8 * interior;
    let w = 1.0 - smoothstep(keep - 1.5 * px, keep + 0.5 * px, depth);
    if (w > 0.0) {
      c = mix(c, sample_rgb(anchor + U.down * min(depth, keep)) * lip_shadow, w);
    }
  } else {
    let band = min(0.11 * mw, 0.5 * gap);
    let w = (1.0 - smoothstep(band - px, band + px, depth)) * (1.0 - smoothstep(0.6, 0.8, au));
    let f = mu / 0.28 + 0.5;
    let tooth_edge = abs(f - floor(f) - 0.5) * 0.28 * 0.5 * mw;
    let shade = (1.0 - 0.35 * au * au) * lip_shadow * (1.0 - 0.15 * (1.0 - smoothstep(0.0, 1.2 * px, tooth_edge)));
    c = mix(c, U.teeth.rgb * shade, w);
  }
  let closed = 1.0 - smoothstep(0.5 * px, 2.5 * px, gap);
  if (closed > 0.0) {
    c = mix(c, sample_rgb(anchor - U.down * (1.5 * px)) * 0.8, closed);
  }
  // Anti-aliased edge: the opening fades linearly into the lip it borders within 2 px of the edge
  // (upper half: the upper lip's texel; lower half: the lower lip's, along own_uv extended).
  let cover = max(closed, min(1.0, edge / (2.0 * px)));
  if (cover < 1.0) {
    let lip_uv = anchor - U.down * (1.5 * px);
    var lip: vec3f;
    if (2.0 * depth <= gap) {
      lip = sample_rgb(lip_uv);
    } else {
      lip = sample_rgb(own_uv + (own_uv - lip_uv) * ((gap - depth) / depth));
    }
    c = mix(lip, c, cover);
  }
  return c;
}

@fragment
fn fs_main(f: VertexOut) -> @location(0) vec4f {
  if (f.cav.w < 0.0) {
    return vec4f(sample_rgb(f.uv), 1.0);
  }
  return vec4f(cavity_color(f.cav.x, f.cav.y, f.cav.z, f.cav.w, f.anchor, f.uv), 1.0);
}
