#version 450
// Scene pass (inner, outer): primitives instanced per kind and meshes instanced per mesh; each
// instance's transform, colour and material overrides come from a storage buffer indexed by
// gl_InstanceIndex (firstInstance selects the run). A mesh is drawn once per submesh with its material
// (set 1). The view's matrix and eye come from the frame slot's view buffer, written after the draws are
// recorded (a camera's pose is latched as late as possible, right before the frame is submitted).

struct Instance {
    mat4 model;         // local → stage (uploaded from a System.Numerics row-vector matrix: model * v works)
    mat4 normalMatrix;  // inverse transpose of the model's 3 × 3 part
    vec4 color;         // linear RGB tint
    vec4 material;      // x: metallic override, y: roughness override (negative: the material's own)
};

const int ViewCount = 23;  // the sun, four inner cameras, six outer cube faces, three sun cascades per inner camera (SceneRenderer.ViewCount)

layout(set = 0, binding = 1, std430) readonly buffer Instances { Instance items[]; } instances;
layout(set = 0, binding = 3, std140) uniform Views {
    mat4 viewProj[ViewCount];  // stage → clip (Vulkan: y down, depth 0..1)
    vec4 eye[ViewCount];       // the view's eye in stage space (w 1)
} views;

layout(push_constant) uniform Push {
    int view;           // which of the views
    vec4 tint;          // unused (the material's base colour is in set 1); kept for the shadow pass's layout
} pc;

layout(location = 0) in vec3 inPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec2 inUv0;
layout(location = 3) in vec2 inUv1;
layout(location = 4) in vec4 inTangent;

layout(location = 0) out vec3 outStageM;
layout(location = 1) out vec3 outNormal;
layout(location = 2) out vec3 outColor;
layout(location = 3) out vec4 outUv;          // uv0, uv1
layout(location = 4) out vec4 outTangent;     // stage-space tangent, w the bitangent sign
layout(location = 5) flat out vec2 outOverrides;

void main() {
    Instance item = instances.items[gl_InstanceIndex];
    vec4 stage = item.model * vec4(inPosition, 1.0);
    outStageM = stage.xyz;
    outNormal = mat3(item.normalMatrix) * inNormal;
    // The tangent follows the surface; a mirroring model flips the bitangent's handedness.
    mat3 m = mat3(item.model);
    float mirror = determinant(m) < 0.0 ? -1.0 : 1.0;
    outTangent = vec4(m * inTangent.xyz, inTangent.w * mirror);
    outColor = item.color.rgb;
    outUv = vec4(inUv0, inUv1);
    outOverrides = item.material.xy;
    gl_Position = views.viewProj[pc.view] * stage;
}
