// The Vulkan binding generator: filled in by the Vulkan issue.
return 0;
