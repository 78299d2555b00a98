namespace Stage.Windowing.Glfw;

/// <summary>GLFW refused: the message carries GLFW's own description and code (e.g. no X display).</summary>
public sealed class GlfwException(string message) : Exception(message);
