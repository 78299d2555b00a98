#version 450
// Shadow pass for alpha-masked materials: discards where the base colour's alpha (factor × texture) is below the
// material's cutoff, as the scene pass does, so leaves and fences cast the shadow of what is drawn, not of their cards.
// The instance tint does not touch alpha (the scene pass multiplies by vec4(colour, 1)).

layout(set = 1, binding = 0, std140) uniform Material {
    vec4 baseColor;      // linear RGBA factor
    vec4 emissive;       // w: alpha cutoff
    vec4 params;
    vec4 modes;
    vec4 uvSet;          // x: the base colour texture's UV set
    vec4 uvSetEmissive;
    vec4 uvA[5];
    vec4 uvB[5];
} m;
layout(set = 1, binding = 1) uniform sampler2D baseColorTex;

layout(location = 0) in vec4 inUv;

void main() {
    vec2 uv = m.uvSet.x > 0.5 ? inUv.zw : inUv.xy;
    uv = vec2(uv.x * m.uvA[0].x + uv.y * m.uvA[0].z, uv.x * m.uvA[0].y + uv.y * m.uvA[0].w) + m.uvB[0].xy;
    if (m.baseColor.a * texture(baseColorTex, uv).a < m.emissive.w) discard;
}
