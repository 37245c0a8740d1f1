using BenchmarkDotNet.Running;

namespace Paygentic.Sdk.Benchmarks;

/// <summary>Runs the benchmarks chosen with BenchmarkDotNet's own switches (e.g. <c>--filter '*Json*'</c>, <c>--job short</c>).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
