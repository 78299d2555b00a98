#version 450
// Scene pass (inner, outer): primitives instanced per kind and meshes instanced per mesh; each
// instance's transform and colour come from a storage buffer indexed by gl_InstanceIndex
// (firstInstance selects the run). A mesh is drawn once per submesh with its base colour as the tint.
// The view's matrix comes from the frame slot's view buffer, written after the draws are recorded
// (a camera's pose is latched as late as possible, right before the frame is submitted).

struct Instance {
    mat4 model;         // local → stage (uploaded from a System.Numerics row-vector matrix: model * v works)
    mat4 normalMatrix;  // inverse transpose of the model's 3 × 3 part
    vec4 color;         // linear RGB
};

const int ViewCount = 11;  // the sun, four inner cameras, six outer cube faces (SceneRenderer.ViewCount)

layout(set = 0, binding = 1, std430) readonly buffer Instances { Instance items[]; } instances;
layout(set = 0, binding = 3, std140) uniform Views { mat4 viewProj[ViewCount]; } views;  // stage → clip (Vulkan: y down, depth 0..1)

layout(push_constant) uniform Push {
    int view;           // which of the views
    vec4 tint;          // linear RGB multiplying the instance colour (a mesh's base colour; 1 for primitives)
} pc;

layout(location = 0) in vec3 inPosition;
layout(location = 1) in vec3 inNormal;

layout(location = 0) out vec3 outStageM;
layout(location = 1) out vec3 outNormal;
layout(location = 2) out vec3 outColor;

void main() {
    Instance item = instances.items[gl_InstanceIndex];
    vec4 stage = item.model * vec4(inPosition, 1.0);
    outStageM = stage.xyz;
    outNormal = mat3(item.normalMatrix) * inNormal;
    outColor = item.color.rgb * pc.tint.rgb;
    gl_Position = views.viewProj[pc.view] * stage;
}
