#version 450
// Status overlay: one quad (two triangles from gl_VertexIndex) over the text box, in target pixels.

layout(push_constant) uniform Push {
    vec2 targetSizePx;
    vec2 originPx;
    float scalePx;
    uint columns;
    uint lines;
} pc;

void main() {
    // Corners 0..3 of the box: (0,0) (1,0) (0,1) (1,1); triangles 0-1-2 and 2-1-3.
    const int corners[6] = int[6](0, 1, 2, 2, 1, 3);
    int corner = corners[gl_VertexIndex];
    vec2 sizePx = vec2(float(pc.columns) * 4.0 + 1.0, float(pc.lines) * 6.0 + 1.0) * pc.scalePx;
    vec2 px = pc.originPx + vec2(float(corner & 1), float(corner >> 1)) * sizePx;
    // Target pixels (y down) to Vulkan NDC (y down): no flip.
    gl_Position = vec4(px / pc.targetSizePx * 2.0 - 1.0, 0.0, 1.0);
}
