#version 450
#extension GL_GOOGLE_include_directive : require
// The compose pass for 4 cameras: see compose.glsl.
#define CAMERAS 4
#include "compose.glsl"
