#version 450
// Flat-coloured axis-aligned quads and triangles without vertex buffers: the corners come from
// push constants, the vertex comes from gl_VertexIndex. Positions are Vulkan clip space
// (x right, y down, depth 0..1).

layout(push_constant) uniform Push {
    vec4 color;      // linear RGBA written as-is
    vec4 rect;       // quad: min x, min y, max x, max y; triangle: unused
    float depth;     // clip-space z of every vertex
    int triangle;    // 1: draw the fixed test triangle (3 vertices); 0: draw the quad (6 vertices)
} pc;

void main() {
    if (pc.triangle != 0) {
        // A triangle covering the centre, away from every corner.
        const vec2 corners[3] = vec2[](vec2(0.0, -0.6), vec2(0.6, 0.6), vec2(-0.6, 0.6));
        gl_Position = vec4(corners[gl_VertexIndex % 3], pc.depth, 1.0);
        return;
    }
    const ivec2 quad[6] = ivec2[](ivec2(0, 0), ivec2(1, 0), ivec2(1, 1), ivec2(0, 0), ivec2(1, 1), ivec2(0, 1));
    ivec2 c = quad[gl_VertexIndex % 6];
    gl_Position = vec4(c.x == 0 ? pc.rect.x : pc.rect.z, c.y == 0 ? pc.rect.y : pc.rect.w, pc.depth, 1.0);
}
