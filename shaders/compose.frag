#version 450
// Compose pass: for each canvas pixel, project its stage position through every tracked camera's
// view-projection (the perspective divide happens here, per fragment), and show the inner render
// where the pixel falls inside a camera's image (soft edge at the border), the outer render elsewhere.
// Cameras are in priority order: camera 0 is drawn last, so it wins where inner frusta overlap.

const int MaxCameras = 4;

layout(set = 0, binding = 0, std140) uniform Compose {
    mat4 cameraViewProj[MaxCameras];  // stage → clip (Vulkan: y down, depth 0..1)
    vec4 cameraParams[MaxCameras];    // x: soft edge (fraction of the image), y: chroma key on, z: markers on
    mat4 faceViewProj[6];             // outer cube faces +X −X +Y −Y +Z −Z, stage → clip
    vec4 outerEyeM;                   // xyz: outer viewpoint; w: 1 when an outer render exists
    vec4 outerFallback;               // linear colour where there is no outer render
    vec4 keyColor;                    // linear chroma-key colour
    vec4 markerColor;                 // linear tracking-marker colour
    vec4 markerGrid;                  // x: spacing, y: size, in wall pixels
    ivec4 counts;                     // x: cameras in use
} u;

layout(set = 0, binding = 1) uniform sampler2D innerImage[MaxCameras];
layout(set = 0, binding = 2) uniform sampler2DArray outerImage;

layout(location = 0) in vec3 inStageM;
layout(location = 1) in vec2 inWallPx;
layout(location = 0) out vec4 outColor;

// Constant indices only: indexing a sampler array by a variable needs a device feature.
vec3 sampleInner(int camera, vec2 uv) {
    if (camera == 0) return texture(innerImage[0], uv).rgb;
    if (camera == 1) return texture(innerImage[1], uv).rgb;
    if (camera == 2) return texture(innerImage[2], uv).rgb;
    return texture(innerImage[3], uv).rgb;
}

vec3 outer(vec3 stageM) {
    if (u.outerEyeM.w == 0.0) return u.outerFallback.rgb;
    vec3 d = stageM - u.outerEyeM.xyz;
    vec3 a = abs(d);
    int face = (a.x >= a.y && a.x >= a.z) ? (d.x > 0.0 ? 0 : 1)
             : (a.y >= a.z)               ? (d.y > 0.0 ? 2 : 3)
                                          : (d.z > 0.0 ? 4 : 5);
    vec4 clip = u.faceViewProj[face] * vec4(stageM, 1.0);
    vec2 uv = clip.xy / clip.w * 0.5 + 0.5;
    return texture(outerImage, vec3(uv, float(face))).rgb;
}

bool onMarker(vec2 wallPx) {
    if (u.markerGrid.x <= 0.0) return false;
    vec2 cell = mod(floor(wallPx), u.markerGrid.x);
    return cell.x < u.markerGrid.y && cell.y < u.markerGrid.y;
}

void main() {
    vec3 color = outer(inStageM);
    for (int c = u.counts.x - 1; c >= 0; c--) {
        vec4 clip = u.cameraViewProj[c] * vec4(inStageM, 1.0);
        if (clip.w <= 0.0) continue;  // behind the camera
        vec2 uv = clip.xy / clip.w * 0.5 + 0.5;
        float edge = min(min(uv.x, 1.0 - uv.x), min(uv.y, 1.0 - uv.y));
        float soft = u.cameraParams[c].x;
        float weight = soft > 0.0 ? smoothstep(0.0, 1.0, clamp(edge / soft, 0.0, 1.0)) : (edge >= 0.0 ? 1.0 : 0.0);
        if (weight <= 0.0) continue;
        vec3 inner;
        if (u.cameraParams[c].y != 0.0) {
            inner = (u.cameraParams[c].z != 0.0 && onMarker(inWallPx)) ? u.markerColor.rgb : u.keyColor.rgb;
        } else {
            inner = sampleInner(c, uv);
        }
        color = mix(color, inner, weight);
    }
    outColor = vec4(color, 1.0);
}
