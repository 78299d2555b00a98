namespace Stage.Cluster; internal static class Placeholder {}
