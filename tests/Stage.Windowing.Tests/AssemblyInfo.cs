// GLFW is process-global (one session, one event thread): window tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
