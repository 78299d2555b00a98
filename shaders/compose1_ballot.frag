#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_ballot : require
// The compose pass for 1 camera, counting by subgroup ballot (colour.glsl): see compose.glsl.
#define CAMERAS 1
#define COUNT_BALLOT 1
#include "compose.glsl"
