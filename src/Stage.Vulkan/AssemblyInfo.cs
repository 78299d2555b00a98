using System.Runtime.CompilerServices;

// Every native call goes through `delegate* unmanaged` or [LibraryImport] with blittable types only;
// turning runtime marshalling off makes the runtime pass them as-is, exactly as C lays them out.
[assembly: DisableRuntimeMarshalling]
