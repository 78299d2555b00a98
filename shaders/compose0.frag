#version 450
#extension GL_GOOGLE_include_directive : require
// The compose pass for 0 cameras: see compose.glsl.
#define CAMERAS 0
#include "compose.glsl"
