#version 450
// Status overlay: text drawn by the GPU into a presented image (never by the OS, so it is in the
// picture on every output that asks for it, and nowhere else). One quad covers the text box; each
// fragment finds its character cell, looks the character up in a 3 x 5 pixel font held here, and is
// either a lit glyph pixel (white) or the box's translucent background.

layout(push_constant) uniform Push {
    vec2 targetSizePx;
    vec2 originPx;     // top-left of the box
    float scalePx;     // screen pixels per font pixel
    uint columns;      // characters per line
    uint lines;
} pc;

// One character per uint (ASCII 32..95; lower case is folded to upper case by the writer).
layout(std430, set = 0, binding = 0) readonly buffer Text {
    uint chars[];
} text;

layout(location = 0) out vec4 outColor;

// Glyph rows top to bottom, 3 bits each, the leftmost pixel in the highest bit: 15 bits per glyph,
// ASCII 32 (space) to 95 (underscore). Drawn for Stage; unknown characters show as a full block.
const uint FONT[64] = uint[64](
    0x0000u, 0x2482u, 0x5A00u, 0x5F7Du, 0x3C9Eu, 0x52A5u, 0x2AABu, 0x2400u,
    0x1491u, 0x4494u, 0x0AA8u, 0x05D0u, 0x0014u, 0x01C0u, 0x0002u, 0x12A4u,
    0x7B6Fu, 0x2C97u, 0x73E7u, 0x73CFu, 0x5BC9u, 0x79CFu, 0x79EFu, 0x7249u,
    0x7BEFu, 0x7BCFu, 0x0410u, 0x0414u, 0x1511u, 0x0E38u, 0x4454u, 0x7282u,
    0x7BE3u, 0x2BEDu, 0x6BAEu, 0x3923u, 0x6B6Eu, 0x79A7u, 0x79A4u, 0x396Bu,
    0x5BEDu, 0x7497u, 0x126Au, 0x5BADu, 0x4927u, 0x5FEDu, 0x6B6Du, 0x2B6Au,
    0x6BA4u, 0x2B73u, 0x6BADu, 0x388Eu, 0x7492u, 0x5B6Fu, 0x5B6Au, 0x5BFDu,
    0x5AADu, 0x5A92u, 0x72A7u, 0x3493u, 0x4889u, 0x6496u, 0x2A00u, 0x0007u
);

void main() {
    // Cells are 4 x 6 font pixels (3 x 5 glyph + 1 pixel gap), inside a 1-font-pixel margin.
    vec2 local = (gl_FragCoord.xy - pc.originPx) / pc.scalePx - vec2(1.0);
    ivec2 cell = ivec2(floor(local / vec2(4.0, 6.0)));
    ivec2 inCell = ivec2(floor(local)) - cell * ivec2(4, 6);
    bool lit = false;
    if (local.x >= 0.0 && local.y >= 0.0 && cell.x < int(pc.columns) && cell.y < int(pc.lines) && inCell.x < 3 && inCell.y < 5) {
        uint code = text.chars[uint(cell.y) * pc.columns + uint(cell.x)];
        if (code >= 32u && code < 96u) {
            uint bits = FONT[code - 32u];
            lit = ((bits >> uint((4 - inCell.y) * 3 + (2 - inCell.x))) & 1u) != 0u;
        }
    }
    outColor = lit ? vec4(1.0) : vec4(0.0, 0.0, 0.0, 0.65);
}
