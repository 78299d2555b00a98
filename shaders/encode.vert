#version 450
// One triangle covering the target (encode.frag: the output encoding applied to an image, texel for texel).
void main() {
    vec2 p = vec2((gl_VertexIndex << 1) & 2, gl_VertexIndex & 2);
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
