using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace McpAnalyzers.Benchmarks;

internal sealed record ReportOptions(IReadOnlyList<int> FileCounts, int NoMcpFiles, int NetMaxFiles, bool Concurrent, int Repeats, string? OutputPath)
{
    public static ReportOptions Parse(string[] args)
    {
        IReadOnlyList<int> files = new[] { 1000 };
        int? noMcp = null;
        var netMax = 1000;
        var concurrent = true;
        string? output = null;
        var repeats = 5;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--files":
                    files = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Count).ToArray();
                    break;
                case "--no-mcp-files":
                    noMcp = Count(Value(args, ref i));
                    break;
                case "--net-max-files":
                    netMax = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--repeat":
                    repeats = Count(Value(args, ref i));
                    break;
                case "--sequential":
                    concurrent = false;
                    break;
                case "--out":
                    output = Value(args, ref i);
                    break;
                default:
                    throw new FormatException("Unknown option " + args[i]);
            }
        }

        if (files.Count == 0)
        {
            throw new FormatException("--files needs at least one count.");
        }

        return new ReportOptions(files, noMcp ?? files[0], netMax, concurrent, repeats, output);
    }

    private static string Value(string[] args, ref int i)
        => ++i < args.Length ? args[i] : throw new FormatException(args[i - 1] + " needs a value.");

    private static int Count(string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new FormatException("Not a positive file count: " + text);
}
