#version 450
// The window's copy pass: the canvas drawn into a swapchain image the device cannot blit into (lavapipe's
// A2R10G10B10_UNORM). The target's pixel centres sampled from the canvas: with the nearest sampler at the same size
// each pixel is its canvas texel exactly (a 10-bit code k, held as k/1023 in the 16-bit canvas, is rounded back to k
// by the 10-bit attachment); scaled (a rehearsal window), the linear sampler.
layout(set = 0, binding = 0) uniform sampler2D canvas;
layout(push_constant) uniform Push { vec2 targetSizePx; } pc;
layout(location = 0) out vec4 outColor;

void main() {
    outColor = vec4(texture(canvas, gl_FragCoord.xy / pc.targetSizePx).rgb, 1.0);
}
