#version 450
// A textured triangle list from a vertex buffer: clip-space position and texture coordinate per
// vertex. Used by the safe layer's tests (vertex input, descriptor sets, samplers).

layout(location = 0) in vec2 inPosition;  // clip space, x right, y down
layout(location = 1) in vec2 inUv;

layout(location = 0) out vec2 outUv;

void main() {
    outUv = inUv;
    gl_Position = vec4(inPosition, 0.0, 1.0);
}
