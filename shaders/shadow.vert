#version 450
// Shadow pass: the scene's instances into the sun's depth map (no colour), seen through the frame
// slot's sun view.

struct Instance {
    mat4 model;
    mat4 normalMatrix;
    vec4 color;
    vec4 material;  // the scene pass's (metallic, roughness overrides); unused here
};

const int ViewCount = 23;

layout(set = 0, binding = 1, std430) readonly buffer Instances { Instance items[]; } instances;
layout(set = 0, binding = 3, std140) uniform Views { mat4 viewProj[ViewCount]; } views;

layout(push_constant) uniform Push {
    int view;   // the sun's view
    vec4 tint;  // unused here; the scene pass's push block, shared
} pc;

layout(location = 0) in vec3 inPosition;

void main() {
    gl_Position = views.viewProj[pc.view] * (instances.items[gl_InstanceIndex].model * vec4(inPosition, 1.0));
}
