// Output encoding and grading (docs/colour.md), included by the compose pass (compose.glsl) and by encode.frag (the pass
// the GPU-equals-CPU tests run). The CPU reference, in the same order, is Stage.Core.Colour.ColourEncoder:
//   working linear RGB ─toOutput→ output RGB as a fraction of peak ─ASC CDL (clamps 0…1 = clip at peak)→
//   ─calibration matrix × gains, clamp→ ─transfer→ code value ─LUT→ ─quantise to the bit depth→
// Edits here must touch compose*.frag and encode.frag too: the build recompiles a shader only when its own file changes.
//
// What varies per output without per-pixel cost is a specialization constant (the driver folds the branches away):
layout(constant_id = 0) const int TRANSFER = 0;     // 0 linear, 1 sRGB, 2 BT.1886, 3 PQ, 4 HLG
layout(constant_id = 1) const int HAS_LUT = 0;      // 1: sample the calibration LUT
layout(constant_id = 2) const int COUNT = 0;        // 1: count out-of-gamut and over-peak pixels (needs fragment atomics)
layout(constant_id = 3) const int SRGB_TARGET = 0;  // 1: the attachment is *_SRGB (8-bit canvases, windows): it encodes on write
layout(constant_id = 4) const int PASS_THROUGH = 0; // 1: no colour work at all (the bench's baseline: the compose pass as it was before colour)
layout(constant_id = 5) const int GRADED = 1;       // 0: every grade this output uses is the identity (its pipeline is switched per frame)
layout(constant_id = 6) const int CALIBRATED = 1;   // 0: the calibration matrix and gains are the identity (the multiply is left out)

const int MaxWalls = 32;

// Per output, fixed for the run (set 1).
layout(set = 1, binding = 0, std140) uniform OutputColour {
    mat4 toOutput;      // working RGB → output primaries × referenceWhite / peak (upper-left 3 × 3)
    mat4 calibration;   // display-linear calibration matrix with the gains folded in (upper-left 3 × 3)
    vec4 luma;          // xyz: the output primaries' luminance weights (HLG's OOTF); w: HLG system gamma
    vec4 params;        // x: peak nits; y: code levels 2^bits − 1 (0: leave to the attachment); z: LUT size N; w: output index
    vec4 lutMin;        // xyz: the LUT's DOMAIN_MIN
    vec4 lutScale;      // xyz: 1 / (DOMAIN_MAX − DOMAIN_MIN)
} oc;
// The calibration LUT: N × N × N texels (red across, green down, blue deep), one trilinear fetch (the sampler's linear
// filter on a 3D image; two bilinear fetches from a 2D array and a mix cost about twice as much on lavapipe).
layout(set = 1, binding = 1) uniform sampler3D lut;

// Per frame slot (live grading): three vec4 per grade — slope.rgb + saturation, offset.rgb, power.rgb.
layout(set = 0, binding = 3, std140) uniform Grades {
    vec4 camera[4 * 3];
    vec4 wall[MaxWalls * 3];
} grades;

// Per frame slot: [2 × output] out-of-gamut pixels, [2 × output + 1] over-peak pixels.
layout(set = 0, binding = 4, std430) buffer Counts { uint counts[]; };

vec3 toOutput(vec3 working) { return PASS_THROUGH == 1 ? working : mat3(oc.toOutput) * working; }

// ASC CDL v1.2: clamp(in × slope + offset)^power, then saturation about the Rec.709 luma, clamped.
vec3 cdl(vec3 c, vec4 slopeSat, vec4 offset, vec4 power) {
    if (PASS_THROUGH == 1 || GRADED == 0) return c;
    c = pow(clamp(c * slopeSat.rgb + offset.rgb, 0.0, 1.0), power.rgb);
    float luma = dot(c, vec3(0.2126, 0.7152, 0.0722));
    return clamp(luma + slopeSat.w * (c - luma), 0.0, 1.0);
}
vec3 gradeCamera(int c, vec3 x) { return cdl(x, grades.camera[c * 3], grades.camera[c * 3 + 1], grades.camera[c * 3 + 2]); }
vec3 gradeWall(int w, vec3 x) { return cdl(x, grades.wall[w * 3], grades.wall[w * 3 + 1], grades.wall[w * 3 + 2]); }

// ST 2084 (PQ) inverse EOTF, nits → code value. Not the formula's two pow per channel (each a log2 and an exp2, which
// lavapipe runs in software): the curve as a function of t = (nits / 10000)^(1/8) (three square roots) is smooth enough
// for a degree-14 polynomial in u = 2t − 1 (the Chebyshev interpolant at 15 nodes, in powers of u for Horner's rule: one
// multiply-add a degree), within 0.023 of a 10-bit code of the exact formula everywhere on 0 … 10,000 nits
// (ColourEncodeGpuTests.Pq_series_matches_the_formula_over_the_whole_domain sweeps it; the CPU reference, ColourEncoder,
// keeps the formula).
const float PqPoly[15] = float[](
    4.170782566e-01, 7.434467673e-01, -8.302439004e-02, -2.344821393e-01, 2.746017873e-01,
    -8.247331530e-02, -3.437561169e-02, -3.249172866e-01, 2.101576775e-01, 9.797642827e-01,
    -8.649885058e-01, -7.975634933e-01, 8.385300040e-01, 2.162220925e-01, -2.579842806e-01);

vec3 pqEncode(vec3 nits) {
    vec3 u = 2.0 * sqrt(sqrt(sqrt(clamp(nits * (1.0 / 10000.0), 0.0, 1.0)))) - 1.0;
    vec3 r = vec3(PqPoly[14]);
    for (int k = 13; k >= 0; k--) r = r * u + PqPoly[k];
    return r;
}

vec3 srgbEncode(vec3 l) {
    return mix(12.92 * l, 1.055 * pow(l, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), l));
}

vec3 srgbDecode(vec3 v) {
    return mix(v / 12.92, pow((v + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), v));
}

vec3 hlgEncode(vec3 display) {
    const float a = 0.17883277, b = 0.28466892, c = 0.55991073;
    // Display light → scene light through the inverse OOTF (BT.2100), then the OETF.
    float yd = dot(display, oc.luma.xyz);
    float gamma = oc.luma.w;
    vec3 e = display * (yd > 0.0 ? pow(yd, (1.0 - gamma) / gamma) : 0.0);
    vec3 low = sqrt(3.0 * e);
    vec3 high = a * log(max(12.0 * e - b, 1e-6)) + c;
    return mix(low, high, step(vec3(1.0 / 12.0), e));
}

// Graded output light (fraction of peak, 0 … 1) → what the attachment stores.
vec3 encode(vec3 display) {
    if (PASS_THROUGH == 1) return display;
    vec3 x = clamp(CALIBRATED == 1 ? mat3(oc.calibration) * display : display, 0.0, 1.0);
    // An sRGB attachment with an sRGB output and no LUT: the attachment's own encoding is the transfer.
    if (SRGB_TARGET == 1 && TRANSFER == 1 && HAS_LUT == 0) return x;
    if (TRANSFER == 1) x = srgbEncode(x);
    else if (TRANSFER == 2) x = pow(x, vec3(1.0 / 2.4));
    else if (TRANSFER == 3) x = pqEncode(x * oc.params.x);
    else if (TRANSFER == 4) x = hlgEncode(x);
    if (HAS_LUT == 1) {
        // .cube semantics: DOMAIN_MIN…MAX maps onto the lattice's first…last texel centre; the sampler clamps to the edge.
        float n = oc.params.z;
        vec3 p = clamp((x - oc.lutMin.xyz) * oc.lutScale.xyz, 0.0, 1.0);
        // Level 0 explicitly: the LUT has one level, and an implicit-LOD fetch would compute derivatives for nothing
        // (work lavapipe does in software per fetch).
        x = textureLod(lut, (p * (n - 1.0) + 0.5) / n, 0.0).rgb;
    }
    // Any other code values through an sRGB attachment: written decoded, so that its encoding gives them back.
    if (SRGB_TARGET == 1) return srgbDecode(x);
    // Quantise to the output's bit depth (a 10- or 12-bit signal stored in a 16-bit attachment carries exactly its code values).
    // (× the reciprocal, not ÷: one division per channel is a real cost on lavapipe; the result is the same code value.)
    if (oc.params.y > 0.0) x = floor(clamp(x, 0.0, 1.0) * oc.params.y + 0.5) * (1.0 / oc.params.y);
    return x;
}

// Counts a pixel whose output light (before the grade's clamps) is outside the output's gamut or above its peak.
// (Counting by subgroup ballot — one atomic per subgroup — was tried: it must leave helper invocations out, and
// lavapipe 22.3 cannot compile gl_HelperInvocation under SPIR-V 1.6; see docs/colour.md, "Cost".)
void countPixel(vec3 raw) {
    if (COUNT == 1 && PASS_THROUGH == 0) {
        uint o = uint(oc.params.w) * 2u;
        if (min(raw.r, min(raw.g, raw.b)) < -1e-4) atomicAdd(counts[o], 1u);
        if (max(raw.r, max(raw.g, raw.b)) > 1.0 + 1e-4) atomicAdd(counts[o + 1u], 1u);
    }
}
