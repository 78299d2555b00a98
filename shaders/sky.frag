#version 450
// Sky pass: the environment's radiance (level 0 of its map, the unfiltered sky) along the pixel's view ray, times the
// camera's exposure — what the background shows when the scene has an environment.
#include "environment.glsl"

layout(set = 0, binding = 0, std140) uniform Frame {
    mat4 lightViewProj;
    vec4 toSun;
    vec4 sunColor;
    vec4 ambient;
    vec4 shadow;
    vec4 exposure;       // x: 2^−EV
    vec4 env;            // x: 1 with an environment, y: its turn (turns), z: its map's last mip level, w: stored → radiance scale
    vec4 sh[9];
} f;
layout(set = 0, binding = 5) uniform sampler2D environmentMap;

layout(location = 0) in vec4 inNear;
layout(location = 1) in vec4 inFar;
layout(location = 0) out vec4 outColor;

void main() {
    vec3 ray = inFar.xyz / inFar.w - inNear.xyz / inNear.w;
    vec3 radiance = textureLod(environmentMap, environmentUv(ray, f.env.y), 0.0).rgb * f.env.w;
    outColor = vec4(radiance * f.exposure.x, 1.0);
}
