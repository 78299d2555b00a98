#version 450
// Samples a texture (set 0, binding 0) and multiplies by a tint from a uniform buffer (binding 1).

layout(set = 0, binding = 0) uniform sampler2D tex;
layout(set = 0, binding = 1) uniform Tint { vec4 tint; } u;

layout(location = 0) in vec2 inUv;
layout(location = 0) out vec4 outColor;

void main() {
    outColor = texture(tex, inUv) * u.tint;
}
