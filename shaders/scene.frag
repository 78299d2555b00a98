#version 450
// Scene pass: linear-light shading — ambient + directional sun with a shadow map (one compare tap
// per fragment, normal-offset + constant bias against acne). Writes linear light; the target format
// (16-bit float, or sRGB which the GPU encodes) decides what is stored.

layout(set = 0, binding = 0, std140) uniform Frame {
    mat4 lightViewProj;  // stage → sun clip (orthographic)
    vec4 toSun;          // xyz: unit vector toward the sun
    vec4 sunColor;       // linear RGB
    vec4 ambient;        // linear RGB
    vec4 shadow;         // x: depth bias, y: normal offset (m), z: 1 when shadows are on
} f;

layout(set = 0, binding = 2) uniform sampler2DShadow shadowMap;

layout(location = 0) in vec3 inStageM;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec3 inColor;
layout(location = 0) out vec4 outColor;

void main() {
    vec3 n = normalize(inNormal);
    float lambert = max(dot(n, f.toSun.xyz), 0.0);
    float lit = 1.0;
    if (f.shadow.z != 0.0 && lambert > 0.0) {
        vec4 s = f.lightViewProj * vec4(inStageM + n * f.shadow.y, 1.0);
        vec3 p = s.xyz / s.w;
        vec2 uv = p.xy * 0.5 + 0.5;
        if (all(greaterThanEqual(uv, vec2(0.0))) && all(lessThanEqual(uv, vec2(1.0))) && p.z <= 1.0) {
            lit = texture(shadowMap, vec3(uv, p.z - f.shadow.x));
        }
    }
    outColor = vec4(inColor * (f.ambient.rgb + f.sunColor.rgb * lambert * lit), 1.0);
}
