namespace Stage.Hosting.Operator;

/// <summary>The operator page could not start (its port in use, its address not this machine's); the message names the fault and the fix.</summary>
public sealed class OperatorPageException(string message, Exception? inner = null) : Exception(message, inner);
