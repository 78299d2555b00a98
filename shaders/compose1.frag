#version 450
#extension GL_GOOGLE_include_directive : require
// The compose pass for 1 camera: see compose.glsl.
#define CAMERAS 1
#include "compose.glsl"
