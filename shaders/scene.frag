#version 450
// Scene pass: physically based shading in the glTF 2.0 metallic-roughness model.
//   Direct light: the sun, a directional light of illuminance E (lux) and colour, with the shadow map
//   (compare taps, normal-offset + constant bias; see sunLit). BRDF: GGX distribution, Smith height-correlated
//   visibility, Schlick Fresnel; Lambert diffuse weighted by (1 − F) as the glTF specification's mix.
//   Environment light: diffuse irradiance (L2 spherical harmonics, E(n)/π) and specular radiance (the environment map's
//   level prefiltered for the surface's roughness, read along the reflected ray) of the environment, or without one a
//   uniform environment of radiance `ambient`; split-sum with the BRDF table and Fdez-Agüera's multiple scattering,
//   so a white Lambert surface under radiance L shows L and a rough white metal its F0 × L.
//   Normal map in glTF's tangent convention (green = +bitangent = cross(n, t) · w).
// Output: scene-linear light × the camera's exposure (2^−EV), written to R16G16B16A16_SFLOAT targets.

const float PI = 3.14159265358979;
#include "environment.glsl"

layout(set = 0, binding = 0, std140) uniform Frame {
    mat4 lightViewProj;  // stage → sun clip (orthographic)
    vec4 toSun;          // xyz: unit vector toward the sun
    vec4 sunColor;       // linear RGB colour × illuminance (lux)
    vec4 ambient;        // the uniform environment's radiance, linear RGB
    vec4 shadow;         // x: depth bias, y: normal offset (m), z: 1 when shadows are on
    vec4 exposure;       // x: 2^−EV (scene luminance → working value)
    vec4 env;            // x: 1 with an environment map (else the uniform `ambient`), y: its turn (turns), z: its last mip level, w: stored → radiance scale
    vec4 sh[9];          // the environment's E(n)/π as L2 spherical harmonics (rgb)
    mat4 sunFrame;       // stage → the sun frame: x, y metres across the sun, z the casters' depth 0..1 (every layer's)
    vec4 layer0;         // layer 0 in the sun frame: clip xy = frame xy × x + (y, z); w its normal offset (m)
    vec4 cascades;       // x: cascades per inner camera (the layers' stride), y: the blend band (fraction of a box's half-width)
    vec4 cascadeCount;   // per inner camera (view 1 + k): its cascades fitted (0: layer 0 only)
    vec4 cascade[12];    // inner camera k's cascade c at 3k + c, as layer0; its layer is 1 + k × stride + c
} f;

const int ViewCount = 23;
const int CascadeViews = 4;  // SceneRenderer.CascadeViews: inner views 1 … 4 may have cascades
layout(set = 0, binding = 2) uniform sampler2DArrayShadow shadowMap;  // layer 0: fitted around every caster; 1…: the cascades
layout(set = 0, binding = 3, std140) uniform Views { mat4 viewProj[ViewCount]; vec4 eye[ViewCount]; } views;
layout(set = 0, binding = 4) uniform sampler2D brdfLut;  // (A, B) by (n·v, roughness)
layout(set = 0, binding = 5) uniform sampler2D environmentMap;  // equirectangular radiance, mip k prefiltered for roughness k / last level

layout(set = 1, binding = 0, std140) uniform Material {
    vec4 baseColor;      // linear RGBA factor
    vec4 emissive;       // rgb: factor × strength; w: alpha cutoff (mask)
    vec4 params;         // metallic, roughness, normal scale, occlusion strength
    vec4 modes;          // x: alpha mode (0 opaque, 1 mask, 2 blend), y: double sided, z: normal map present
    vec4 uvSet;          // per texture (base, metallic-roughness, normal, occlusion): 0 or 1
    vec4 uvSetEmissive;  // x: the emissive texture's set
    vec4 uvA[5];         // per texture: KHR_texture_transform (m11, m12, m21, m22)
    vec4 uvB[5];         // per texture: (m31, m32) translation
} m;
layout(set = 1, binding = 1) uniform sampler2D baseColorTex;
layout(set = 1, binding = 2) uniform sampler2D metallicRoughnessTex;
layout(set = 1, binding = 3) uniform sampler2D normalTex;
layout(set = 1, binding = 4) uniform sampler2D occlusionTex;
layout(set = 1, binding = 5) uniform sampler2D emissiveTex;

layout(push_constant) uniform Push { int view; vec4 tint; } pc;

// The untextured fast path: a pipeline made with 0 here (materials without any texture: primitives, terrain,
// generated meshes, factor-only glTF materials) reads no texture; the reads fold away when the pipeline is made.
layout(constant_id = 0) const bool Textured = true;
// The world's colours are Rec.709-referred; under another working space (render.workingSpace acescg) the material's
// base colour and emission are converted by this matrix (row major; InputColour.cs). Rec.709: left out.
layout(constant_id = 1) const bool ConvertInputs = false;
layout(constant_id = 2) const float In00 = 1.0;
layout(constant_id = 3) const float In01 = 0.0;
layout(constant_id = 4) const float In02 = 0.0;
layout(constant_id = 5) const float In10 = 0.0;
layout(constant_id = 6) const float In11 = 1.0;
layout(constant_id = 7) const float In12 = 0.0;
layout(constant_id = 8) const float In20 = 0.0;
layout(constant_id = 9) const float In21 = 0.0;
layout(constant_id = 10) const float In22 = 1.0;

layout(location = 0) in vec3 inStageM;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec3 inColor;
layout(location = 3) in vec4 inUv;
layout(location = 4) in vec4 inTangent;
layout(location = 5) flat in vec2 inOverrides;
layout(location = 0) out vec4 outColor;

// A point's place in one shadow layer (xy clip, z depth, w the larger of |x|, |y|): an affine map of its sun-frame
// position q, offset along the surface's geometric normal gq (in the sun frame) by the layer's normal offset.
vec4 inLayer(vec4 layer, vec3 q, vec3 gq) {
    vec3 s = q + gq * layer.w;
    vec2 xy = s.xy * layer.x + layer.yz;
    return vec4(xy, s.z, max(abs(xy.x), abs(xy.y)));
}

// Inside a cascade's box: 98 % of it (a tap at its very edge would read the clamped border), depth 0…1.
bool holds(vec4 s) {
    return s.w <= 0.98 && s.z >= 0.0 && s.z <= 1.0;
}

// One compare tap; outside the map (layer 0 does not cover planes far from the casters) the point is lit.
float tap(vec4 s, float layer) {
    float lit = texture(shadowMap, vec4(s.xy * 0.5 + 0.5, layer, s.z - f.shadow.x));
    return s.w <= 1.0 && s.z <= 1.0 ? lit : 1.0;
}

// The sun's visibility at stage point p with geometric normal g, seen by this draw's view. An inner camera's view
// uses its own cascades: the finest whose box holds the point (tested, not chosen by view depth: the view's final pose
// is latched after the cascades were fitted), blended over the box's outer band into the next coarser layer holding the
// point, so the cascade edge is no step; no cascade: layer 0, fitted around every caster. Written as selects, two taps
// every pixel, no loop or branch: lavapipe runs both sides of a branch anyway (see compose.glsl).
float sunLit(vec3 p, vec3 g) {
    vec3 q = (f.sunFrame * vec4(p, 1.0)).xyz;
    vec3 gq = mat3(f.sunFrame) * g;
    int k = clamp(pc.view - 1, 0, CascadeViews - 1);
    int count = pc.view >= 1 && pc.view <= CascadeViews ? int(f.cascadeCount[k]) : 0;
    float first = float(1 + k * int(f.cascades.x));
    vec4 c0 = inLayer(f.cascade[3 * k], q, gq);
    vec4 c1 = inLayer(f.cascade[3 * k + 1], q, gq);
    vec4 c2 = inLayer(f.cascade[3 * k + 2], q, gq);
    vec4 l0 = inLayer(f.layer0, q, gq);
    bool h0 = count > 0 && holds(c0), h1 = count > 1 && holds(c1), h2 = count > 2 && holds(c2);
    // The coarser of the two: the next cascade holding the point after the finest, else layer 0.
    vec4 after2 = l0;
    vec4 after1 = h2 ? c2 : l0;
    float afterLayer1 = h2 ? first + 2.0 : 0.0;
    vec4 fine = h0 ? c0 : (h1 ? c1 : (h2 ? c2 : l0));
    float fineLayer = h0 ? first : (h1 ? first + 1.0 : (h2 ? first + 2.0 : 0.0));
    vec4 coarse = h0 ? (h1 ? c1 : after1) : (h1 ? after1 : after2);
    float coarseLayer = h0 ? (h1 ? first + 1.0 : afterLayer1) : (h1 ? afterLayer1 : 0.0);
    // Blend weight: 0 inside the band's inner edge, 1 at the box's edge; none on layer 0.
    float band = f.cascades.y;
    float w = fineLayer > 0.0 && band > 0.0 ? clamp((fine.w - 0.98 * (1.0 - band)) / (0.98 * band), 0.0, 1.0) : 0.0;
    return mix(tap(fine, fineLayer), tap(coarse, coarseLayer), w);
}

vec2 uvOf(int i, float set) {
    vec2 uv = set > 0.5 ? inUv.zw : inUv.xy;
    // Row-vector form: uv' = (u, v) · M + t.
    return vec2(uv.x * m.uvA[i].x + uv.y * m.uvA[i].z, uv.x * m.uvA[i].y + uv.y * m.uvA[i].w) + m.uvB[i].xy;
}

void main() {
    vec4 base = m.baseColor * (Textured ? texture(baseColorTex, uvOf(0, m.uvSet.x)) : vec4(1.0)) * vec4(inColor, 1.0);
    if (m.modes.x == 1.0 && base.a < m.emissive.w) discard;
    vec4 mr = Textured ? texture(metallicRoughnessTex, uvOf(1, m.uvSet.y)) : vec4(1.0);
    float metallic = inOverrides.x >= 0.0 ? inOverrides.x : m.params.x * mr.b;
    float roughness = clamp(inOverrides.y >= 0.0 ? inOverrides.y : m.params.y * mr.g, 0.03, 1.0);
    float occlusion = Textured ? 1.0 + m.params.w * (texture(occlusionTex, uvOf(3, m.uvSet.w)).r - 1.0) : 1.0;
    vec3 emission = m.emissive.rgb * (Textured ? texture(emissiveTex, uvOf(4, m.uvSetEmissive.x)).rgb : vec3(1.0));
    if (ConvertInputs) {
        mat3 toWorking = mat3(In00, In10, In20, In01, In11, In21, In02, In12, In22);  // columns
        base.rgb = toWorking * base.rgb;
        emission = toWorking * emission;
    }

    vec3 v = normalize(views.eye[pc.view].xyz - inStageM);
    vec3 n = normalize(inNormal);
    if (m.modes.y != 0.0 && dot(n, v) < 0.0) n = -n;  // double sided: the back face's normal
    if (Textured && m.modes.z != 0.0) {
        vec3 t = inTangent.xyz - n * dot(n, inTangent.xyz);
        float tl = length(t);
        if (tl > 1e-6) {
            t /= tl;
            vec3 b = cross(n, t) * (inTangent.w < 0.0 ? -1.0 : 1.0);
            vec3 tn = texture(normalTex, uvOf(2, m.uvSet.z)).xyz * 2.0 - 1.0;
            tn.xy *= m.params.z;
            n = normalize(t * tn.x + b * tn.y + n * tn.z);
        }
    }
    float nv = clamp(dot(n, v), 1e-4, 1.0);
    vec3 f0 = mix(vec3(0.04), base.rgb, metallic);
    vec3 diffuseColor = base.rgb * (1.0 - metallic);
    float alpha = roughness * roughness;
    float a2 = alpha * alpha;

    // The sun.
    vec3 l = f.toSun.xyz;
    float nl = dot(n, l);
    vec3 direct = vec3(0.0);
    if (nl > 0.0) {
        float lit = 1.0;
        if (f.shadow.z != 0.0) lit = sunLit(inStageM, normalize(inNormal));
        vec3 h = normalize(l + v);
        float nh = clamp(dot(n, h), 0.0, 1.0);
        float vh = clamp(dot(v, h), 0.0, 1.0);
        vec3 fresnel = f0 + (1.0 - f0) * pow(1.0 - vh, 5.0);
        float dd = nh * nh * (a2 - 1.0) + 1.0;
        float d = a2 / (PI * dd * dd);
        float vis = 0.5 / (nl * sqrt(nv * nv * (1.0 - a2) + a2) + nv * sqrt(nl * nl * (1.0 - a2) + a2));
        vec3 brdf = (1.0 - fresnel) * diffuseColor / PI + fresnel * d * vis;
        direct = brdf * f.sunColor.rgb * nl * lit;
    }

    // The environment: split sum + multiple scattering (Fdez-Agüera 2019).
    vec2 ab = texture(brdfLut, vec2(nv, roughness)).rg;
    vec3 fr = max(vec3(1.0 - roughness), f0) - f0;
    vec3 ks = f0 + fr * pow(1.0 - nv, 5.0);
    vec3 fssEss = ks * ab.x + ab.y;
    float ess = ab.x + ab.y;
    float ems = 1.0 - ess;
    vec3 favg = f0 + (1.0 - f0) / 21.0;
    vec3 fms = fssEss * favg / (1.0 - ems * favg);
    vec3 kd = diffuseColor * (1.0 - fssEss - fms * ems);
    vec3 radiance = f.ambient.rgb;
    vec3 irradiance = f.ambient.rgb;  // irradiance / π, i.e. what a white Lambert surface sends back
    if (f.env.x != 0.0) {
        vec3 r = reflect(-v, n);
        radiance = textureLod(environmentMap, environmentUv(r, f.env.y), roughness * f.env.z).rgb * f.env.w;
        irradiance = max(environmentIrradiance(f.sh, n), vec3(0.0));
    }
    vec3 ambient = (fssEss * radiance + (fms * ems + kd) * irradiance) * occlusion;

    outColor = vec4((direct + ambient + emission) * f.exposure.x, m.modes.x == 2.0 ? base.a : 1.0);
}
