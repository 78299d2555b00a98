#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_ballot : require
// encode.frag counting by subgroup ballot (colour.glsl).
#define COUNT_BALLOT 1
// The output encoding of colour.glsl applied to an image of working-space light, texel for texel, with camera 0's grade:
// what the compose pass does to each pixel after choosing its source, alone (ColourEncodePass; the GPU-equals-CPU tests).

layout(set = 0, binding = 0) uniform sampler2D source;
layout(location = 0) out vec4 outColor;

#include "colour.glsl"

void main() {
    vec3 raw = toOutput(texelFetch(source, ivec2(gl_FragCoord.xy), 0).rgb);
    countPixel(raw);
    outColor = vec4(encode(gradeCamera(0, raw)), 1.0);
}
