#version 450
#extension GL_GOOGLE_include_directive : require
// The compose pass for 3 cameras: see compose.glsl.
#define CAMERAS 3
#include "compose.glsl"
