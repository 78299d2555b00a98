namespace Stage.Takes;

/// <summary>The take log cannot do what was asked: the file is not a take log, is damaged, or a take does not exist.</summary>
public sealed class TakeLogException(string message, Exception? inner = null) : Exception(message, inner);
