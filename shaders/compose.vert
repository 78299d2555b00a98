#version 450
// Compose pass: a wall region's mesh drawn in canvas pixel space. Each vertex carries the stage
// position of its point of the wall; the rasteriser interpolates it linearly across each quad, which
// is exact because every quad is affine in stage space (one panel column of a flat or curved wall).
// Each camera's clip position is computed here, per vertex: it is linear in the stage position, so
// interpolating it is exact too, and the fragment shader only divides (per fragment, as it must).

const int MaxCameras = 4;

layout(set = 0, binding = 0, std140) uniform Compose {
    mat4 cameraViewProj[MaxCameras];  // stage → clip (Vulkan: y down, depth 0..1)
} u;

layout(location = 0) in vec2 inCanvasPx;   // pixels, origin top-left
layout(location = 1) in vec3 inStageM;     // stage space, metres
layout(location = 2) in vec2 inWallPx;     // wall pixel grid (column, row)

layout(push_constant) uniform Push {
    vec2 canvasSizePx;
} pc;

layout(location = 0) out vec3 outStageM;
layout(location = 1) out vec2 outWallPx;
layout(location = 2) out vec4 outCameraClip[MaxCameras];

void main() {
    outStageM = inStageM;
    outWallPx = inWallPx;
    for (int c = 0; c < MaxCameras; c++) outCameraClip[c] = u.cameraViewProj[c] * vec4(inStageM, 1.0);
    // Canvas pixels → Vulkan NDC (x right, y down): no flip needed, the canvas is y down too.
    gl_Position = vec4(inCanvasPx / pc.canvasSizePx * 2.0 - 1.0, 0.0, 1.0);
}
