#version 450
#extension GL_GOOGLE_include_directive : require
// The compose pass for 2 cameras: see compose.glsl.
#define CAMERAS 2
#include "compose.glsl"
