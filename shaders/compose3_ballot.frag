#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_ballot : require
// The compose pass for 3 cameras, counting by subgroup ballot (colour.glsl): see compose.glsl.
#define CAMERAS 3
#define COUNT_BALLOT 1
#include "compose.glsl"
