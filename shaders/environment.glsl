// The environment's radiance map and diffuse SH, shared by the scene pass and the sky pass.
// Equirectangular convention (EquirectMap.cs): u = ½ + φ/2π with φ = atan(d.x, −d.z) the pan clockwise from −Z seen from
// above, minus the environment's turn; v = θ/π from +Y (the top row is the zenith).

vec2 environmentUv(vec3 d, float rotationTurns) {
    d = normalize(d);
    float u = 0.5 + atan(d.x, -d.z) / (2.0 * 3.14159265358979) - rotationTurns;
    float v = acos(clamp(d.y, -1.0, 1.0)) / 3.14159265358979;
    return vec2(u, v);
}

// E(n)/π from nine L2 coefficients (SphericalHarmonics.cs's basis order and constants).
vec3 environmentIrradiance(vec4 sh[9], vec3 n) {
    return sh[0].rgb * 0.282094791773878
         + sh[1].rgb * (0.488602511902920 * n.y)
         + sh[2].rgb * (0.488602511902920 * n.z)
         + sh[3].rgb * (0.488602511902920 * n.x)
         + sh[4].rgb * (1.092548430592079 * n.x * n.y)
         + sh[5].rgb * (1.092548430592079 * n.y * n.z)
         + sh[6].rgb * (0.315391565252520 * (3.0 * n.z * n.z - 1.0))
         + sh[7].rgb * (1.092548430592079 * n.x * n.z)
         + sh[8].rgb * (0.546274215296040 * (n.x * n.x - n.y * n.y));
}
