using System;
using System.IO;

namespace McpAnalyzers.Tests.Infrastructure;

internal static class RepositoryPaths
{
    /// <summary>The folder that holds McpAnalyzers.sln, found by walking up from the test output.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpAnalyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("McpAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
