using BenchmarkDotNet.Running;
using Stage.Benchmarks.Commands;

namespace Stage.Benchmarks;

/// <summary>
/// <c>stage-bench</c> (what <c>tools/stage bench …</c> runs): the bench commands (<c>physics</c>, <c>render</c>,
/// <c>run</c>, <c>tracking</c>, <c>window</c>, <c>world</c>), or <c>micro …</c> for the BenchmarkDotNet
/// micro-benchmarks (<c>tools/stage bench micro --filter '*'</c>).
/// </summary>
public static class Program
{
    /// <summary>Runs the bench named on the command line; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "micro")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
            return 0;
        }
        return BenchCli.Run(args, Console.Out, Console.Error);
    }
}
