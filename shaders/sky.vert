#version 450
// Sky pass: one triangle covering the view at the far plane (depth 1, drawn after the opaque geometry with
// LESS_OR_EQUAL and no depth writes, so it fills only where nothing was drawn). Each corner carries two points of its
// view ray in homogeneous stage coordinates (clip → stage through the inverse view-projection); they interpolate
// linearly across the screen and the fragment shader divides, so every pixel gets its exact ray.

const int ViewCount = 23;
layout(set = 0, binding = 3, std140) uniform Views { mat4 viewProj[ViewCount]; vec4 eye[ViewCount]; } views;
layout(push_constant) uniform Push { int view; vec4 tint; } pc;

layout(location = 0) out vec4 outNear;
layout(location = 1) out vec4 outFar;

void main() {
    vec2 ndc = vec2((gl_VertexIndex << 1) & 2, gl_VertexIndex & 2) * 2.0 - 1.0;
    mat4 inverseViewProj = inverse(views.viewProj[pc.view]);
    outNear = inverseViewProj * vec4(ndc, 0.0, 1.0);
    outFar = inverseViewProj * vec4(ndc, 0.5, 1.0);
    gl_Position = vec4(ndc, 1.0, 1.0);
}
