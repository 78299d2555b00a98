#version 450
// Shadow pass: the scene's instances into the sun's depth map (no colour).

struct Instance {
    mat4 model;
    mat4 normalMatrix;
    vec4 color;
};

layout(set = 0, binding = 1, std430) readonly buffer Instances { Instance items[]; } instances;

layout(push_constant) uniform Push {
    mat4 viewProj;  // stage → sun clip
} pc;

layout(location = 0) in vec3 inPosition;

void main() {
    gl_Position = pc.viewProj * (instances.items[gl_InstanceIndex].model * vec4(inPosition, 1.0));
}
