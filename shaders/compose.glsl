// Compose pass fragment shader body, included by compose0.frag … compose4.frag, which differ only in
// CAMERAS (the cameras composed). Why variants: lavapipe (and GPUs to a lesser degree) runs both sides
// of any branch whose condition can differ between pixels of a SIMD group and does not skip a branch
// whose condition is false for all of them, so a loop over a uniform camera count with a texture fetch
// per camera index cost ~5× the straight-line code. Here every pixel runs the same instructions:
// no loops, no branches, one outer fetch and one fetch per camera.
// (Edits here must touch compose*.frag too: the build recompiles a shader only when its own file changes.)
//
// For each canvas pixel: the outer render sampled in the direction from the outer viewpoint, then each
// camera from the lowest priority up (camera 0 last, so it wins where inner frusta overlap), blended in
// by its soft edge where the pixel's stage position projects inside its image. The projections are
// done per vertex (compose.vert: clip coordinates are linear in the stage position, and the stage
// position is linear across each quad, so interpolating them is exact); the perspective divide is here.

const int MaxCameras = 4;

layout(set = 0, binding = 0, std140) uniform Compose {
    mat4 cameraViewProj[MaxCameras];  // stage → clip (Vulkan: y down, depth 0..1); used by compose.vert
    vec4 cameraParams[MaxCameras];    // x: soft edge (fraction of the image), y: chroma key on (0/1), z: markers on (0/1)
    mat4 faceViewProj[6];             // outer cube faces +X −X +Y −Y +Z −Z, stage → clip
    vec4 outerEyeM;                   // xyz: outer viewpoint; w: 1 when an outer render exists, else 0
    vec4 outerFallback;               // linear colour where there is no outer render
    vec4 keyColor;                    // linear chroma-key colour
    vec4 markerColor;                 // linear tracking-marker colour
    vec4 markerGrid;                  // x: spacing, y: size, in wall pixels (spacing 0: no markers)
    ivec4 counts;                     // x: cameras in use (= CAMERAS)
} u;

layout(set = 0, binding = 1) uniform sampler2D innerImage[MaxCameras];
layout(set = 0, binding = 2) uniform sampler2DArray outerImage;

layout(location = 0) in vec3 inStageM;
layout(location = 1) in vec2 inWallPx;
layout(location = 2) in vec4 inCameraClip[MaxCameras];
layout(location = 0) out vec4 outColor;

// The region's wall (its outer grade) and the output (its encoding, its counters); compose.vert reads the canvas size before them.
layout(push_constant) uniform ComposePush {
    layout(offset = 8) int wallIndex;
} push;

#include "colour.glsl"

vec3 outer(vec3 stageM) {
    vec3 d = stageM - u.outerEyeM.xyz;
    vec3 a = abs(d);
    // Selects, not branches: the face of the direction's major axis.
    int face = (a.x >= a.y && a.x >= a.z) ? (d.x > 0.0 ? 0 : 1)
             : (a.y >= a.z)               ? (d.y > 0.0 ? 2 : 3)
                                          : (d.z > 0.0 ? 4 : 5);
    vec4 clip = u.faceViewProj[face] * vec4(stageM, 1.0);
    vec2 uv = clip.xy / clip.w * 0.5 + 0.5;
    return mix(u.outerFallback.rgb, texture(outerImage, vec3(uv, float(face))).rgb, u.outerEyeM.w);
}

// The image coordinates of a camera's clip position; behind the camera (w ≤ 0) a point outside the image.
vec2 imageUv(vec4 clip) {
    return clip.w > 0.0 ? clip.xy / clip.w * 0.5 + 0.5 : vec2(-1.0);
}

// Blends camera c (its image sampled at uv into `sampled`) over `color`.
vec3 blend(int c, vec2 uv, vec3 sampled, vec3 color) {
    float edge = min(min(uv.x, 1.0 - uv.x), min(uv.y, 1.0 - uv.y));
    float soft = u.cameraParams[c].x;
    // Soft edge: smoothstep over the border band; hard edge (soft 0): 1 inside, 0 outside.
    float weight = soft > 0.0 ? smoothstep(0.0, 1.0, clamp(edge / soft, 0.0, 1.0)) : step(0.0, edge);
    vec2 cell = mod(floor(inWallPx), max(u.markerGrid.x, 1.0));
    float marker = u.cameraParams[c].z * step(0.5, u.markerGrid.x) * step(cell.x + 0.5, u.markerGrid.y) * step(cell.y + 0.5, u.markerGrid.y);
    vec3 keyed = toOutput(mix(u.keyColor.rgb, u.markerColor.rgb, marker));
    vec3 inner = mix(sampled, keyed, u.cameraParams[c].y);
    return mix(color, inner, weight);
}

// Colour (colour.glsl): every source is taken to the output's primaries and peak (linear, so blending after is the same);
// `raw` is the ungraded light (for the out-of-gamut and over-peak counts), `color` the graded one; encoded once at the end.
#define COMPOSE_CAMERA(c) { \
    vec2 uv = imageUv(inCameraClip[c]); \
    vec3 sampled = toOutput(texture(innerImage[c], uv).rgb); \
    if (COUNT == 1) raw = blend(c, uv, sampled, raw); \
    color = blend(c, uv, gradeCamera(c, sampled), color); }

void main() {
    vec3 raw = toOutput(outer(inStageM));
    vec3 color = gradeWall(push.wallIndex, raw);
#if CAMERAS > 3
    COMPOSE_CAMERA(3)
#endif
#if CAMERAS > 2
    COMPOSE_CAMERA(2)
#endif
#if CAMERAS > 1
    COMPOSE_CAMERA(1)
#endif
#if CAMERAS > 0
    COMPOSE_CAMERA(0)
#endif
    countPixel(raw);
    outColor = vec4(encode(color), 1.0);
}
