#version 450
// Shadow pass for alpha-masked materials: as shadow.vert, plus the UVs the fragment stage needs to read the base
// colour texture's alpha (the mask) through the material's own UV set and KHR_texture_transform.

struct Instance {
    mat4 model;
    mat4 normalMatrix;
    vec4 color;
    vec4 material;
};

const int ViewCount = 23;

layout(set = 0, binding = 1, std430) readonly buffer Instances { Instance items[]; } instances;
layout(set = 0, binding = 3, std140) uniform Views { mat4 viewProj[ViewCount]; } views;

layout(push_constant) uniform Push {
    int view;   // the sun's view
    vec4 tint;  // unused here; the scene pass's push block, shared
} pc;

layout(location = 0) in vec3 inPosition;
layout(location = 2) in vec2 inUv0;
layout(location = 3) in vec2 inUv1;

layout(location = 0) out vec4 outUv;  // uv0, uv1

void main() {
    outUv = vec4(inUv0, inUv1);
    gl_Position = views.viewProj[pc.view] * (instances.items[gl_InstanceIndex].model * vec4(inPosition, 1.0));
}
