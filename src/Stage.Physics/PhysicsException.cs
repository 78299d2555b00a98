namespace Stage.Physics;

/// <summary>A failure of the physics library: ODE missing or misbuilt, or a native call that reported failure.</summary>
public sealed class PhysicsException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public PhysicsException(string message) : base(message) { }

    /// <summary>Creates the exception with its message and the failure that caused it.</summary>
    public PhysicsException(string message, Exception inner) : base(message, inner) { }
}
