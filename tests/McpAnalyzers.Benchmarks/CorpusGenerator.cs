using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace McpAnalyzers.Benchmarks;

/// <summary>The sinks of MCPSEC005-008 that the corpus exercises (one per file).</summary>
public enum SinkKind
{
    /// <summary>MCPSEC005 / CA3006: <c>Process.Start(fileName, arguments)</c>.</summary>
    OsCommand,

    /// <summary>MCPSEC006 / CA3003: <c>File.ReadAllText(path)</c>.</summary>
    FilePath,

    /// <summary>MCPSEC007 / CA3001, CA2100: <c>SqliteCommand.CommandText</c>.</summary>
    Sql,

    /// <summary>MCPSEC008 (NetAnalyzers has no SSRF rule): <c>HttpClient.GetStringAsync(requestUri)</c>.</summary>
    OutgoingRequest,
}

/// <summary>How the input reaches the sink.</summary>
public enum FlowShape
{
    /// <summary>The sink gets a constant; the input is not used there.</summary>
    Constant,

    /// <summary>The input reaches the sink in the entry method.</summary>
    Direct,

    /// <summary>The entry method passes the input to a helper that calls the sink.</summary>
    OneHelper,

    /// <summary>Entry method, then a helper that concatenates, then a helper that calls the sink.</summary>
    TwoHelpers,

    /// <summary>An anchored-regex guard clause that throws, then the sink (clean for McpAnalyzers).</summary>
    Validated,
}

/// <summary>One generated file.</summary>
public sealed record CorpusFile(string Path, string Text, SinkKind Sink, FlowShape Shape);

/// <summary>A synthetic corpus and what a correct analysis must report on it.</summary>
public sealed class Corpus
{
    internal Corpus(IReadOnlyList<CorpusFile> files, bool withMcp)
    {
        Files = files;
        WithMcp = withMcp;
    }

    public IReadOnlyList<CorpusFile> Files { get; }

    /// <summary>True: each file has an MCP tool class (needs the MCP SDK reference). False: a plain service class.</summary>
    public bool WithMcp { get; }

    public static IReadOnlyList<SinkKind> Sinks { get; } = (SinkKind[])Enum.GetValues(typeof(SinkKind));

    /// <summary>The McpAnalyzers rule of a sink.</summary>
    public static string McpRuleId(SinkKind sink) => sink switch
    {
        SinkKind.OsCommand => "MCPSEC005",
        SinkKind.FilePath => "MCPSEC006",
        SinkKind.Sql => "MCPSEC007",
        _ => "MCPSEC008",
    };

    /// <summary>The NetAnalyzers taint rule of a sink (null: NetAnalyzers has none).</summary>
    public static string? NetTaintRuleId(SinkKind sink) => sink switch
    {
        SinkKind.OsCommand => "CA3006",
        SinkKind.FilePath => "CA3003",
        SinkKind.Sql => "CA3001",
        _ => null,
    };

    /// <summary>Files with this sink and one of these shapes.</summary>
    public int Count(SinkKind sink, params FlowShape[] shapes) => Files.Count(f => f.Sink == sink && shapes.Contains(f.Shape));

    /// <summary>Tool-input flows that reach the sink without validation: exactly what McpAnalyzers must report (MCP corpus only).</summary>
    public int UnvalidatedFlows(SinkKind sink) => WithMcp ? Count(sink, FlowShape.Direct, FlowShape.OneHelper, FlowShape.TwoHelpers) : 0;

    /// <summary>Expected McpAnalyzers diagnostics per rule ID (MCPSEC005-008).</summary>
    public IReadOnlyDictionary<string, int> ExpectedMcpDiagnostics()
        => Sinks.ToDictionary(McpRuleId, UnvalidatedFlows, StringComparer.Ordinal);
}

/// <summary>
/// Writes a synthetic corpus: file <c>i</c> holds one MCP tool class (<c>[McpServerToolType]</c>, one
/// <c>[McpServerTool]</c> method) and its ASP.NET Core controller twin of the same shape, whose input is
/// a <c>[FromQuery]</c> action parameter (a source for the NetAnalyzers taint rules). File <c>i</c> uses
/// sink <c>i % 4</c> and shape <c>(i / 4) % 5</c>, so every 20 consecutive files hold each (sink, shape)
/// pair once. The output is deterministic.
/// </summary>
public static class CorpusGenerator
{
    private const string ValidationPattern = "^[a-z0-9-]+$";

    public static Corpus Generate(int fileCount, bool withMcp = true)
    {
        if (fileCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fileCount), "At least one file.");
        }

        var files = new List<CorpusFile>(fileCount);
        for (var i = 0; i < fileCount; i++)
        {
            var sink = (SinkKind)(i % 4);
            var shape = (FlowShape)(i / 4 % 5);
            var id = i.ToString("D5", CultureInfo.InvariantCulture);
            files.Add(new CorpusFile($"Corpus/File{id}.cs", WriteFile(id, sink, shape, withMcp), sink, shape));
        }

        return new Corpus(files, withMcp);
    }

    private static string WriteFile(string id, SinkKind sink, FlowShape shape, bool withMcp)
    {
        var text = new StringBuilder(2048);
        text.AppendLine("using System;");
        text.AppendLine("using System.ComponentModel;");
        text.AppendLine("using System.Diagnostics;");
        text.AppendLine("using System.IO;");
        text.AppendLine("using System.Net.Http;");
        text.AppendLine("using System.Text.RegularExpressions;");
        text.AppendLine("using System.Threading.Tasks;");
        text.AppendLine("using Microsoft.AspNetCore.Mvc;");
        text.AppendLine("using Microsoft.Data.Sqlite;");
        if (withMcp)
        {
            text.AppendLine("using ModelContextProtocol.Server;");
        }

        text.AppendLine();
        text.AppendLine($"namespace Corpus.F{id};");
        text.AppendLine();

        var method = MethodName(sink);
        if (withMcp)
        {
            text.AppendLine("[McpServerToolType]");
            text.AppendLine($"public sealed class Tools{id}");
            text.AppendLine("{");
            WriteMembers(text, sink, shape, method, $"[McpServerTool(Name = \"{Snake(method)}_{id}\"), Description(\"{Describe(sink)}\")]", "[Description(\"The caller's input.\")] string input");
        }
        else
        {
            text.AppendLine($"public sealed class Service{id}");
            text.AppendLine("{");
            WriteMembers(text, sink, shape, method, attributes: null, "string input");
        }

        text.AppendLine("}");
        text.AppendLine();
        text.AppendLine("[ApiController]");
        text.AppendLine($"[Route(\"api/items{id}\")]");
        text.AppendLine($"public sealed class Items{id}Controller : ControllerBase");
        text.AppendLine("{");
        WriteMembers(text, sink, shape, method, "[HttpGet]", "[FromQuery] string input");
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>The entry method (tool or action) and its helpers, for one (sink, shape).</summary>
    private static void WriteMembers(StringBuilder text, SinkKind sink, FlowShape shape, string method, string? attributes, string parameter)
    {
        var returnType = sink == SinkKind.OutgoingRequest ? "Task<string>" : "string";
        if (sink == SinkKind.OutgoingRequest)
        {
            text.AppendLine("    private static readonly HttpClient Http = new();");
            text.AppendLine();
        }

        if (attributes is not null)
        {
            text.AppendLine($"    {attributes}");
        }

        switch (shape)
        {
            case FlowShape.Constant:
                text.AppendLine($"    public {returnType} {method}({parameter})");
                text.AppendLine("    {");
                text.AppendLine("        _ = input.Length;");
                WriteSink(text, sink, "        ", value: null);
                text.AppendLine("    }");
                break;
            case FlowShape.Direct:
                text.AppendLine($"    public {returnType} {method}({parameter})");
                text.AppendLine("    {");
                WriteSink(text, sink, "        ", "input");
                text.AppendLine("    }");
                break;
            case FlowShape.OneHelper:
                text.AppendLine($"    public {returnType} {method}({parameter}) => Execute(input);");
                WriteHelper(text, sink, returnType);
                break;
            case FlowShape.TwoHelpers:
                text.AppendLine($"    public {returnType} {method}({parameter}) => Prepare(input);");
                text.AppendLine();
                text.AppendLine($"    private static {returnType} Prepare(string value) => Execute(\"item-\" + value);");
                WriteHelper(text, sink, returnType);
                break;
            default:
                text.AppendLine($"    public {returnType} {method}({parameter})");
                text.AppendLine("    {");
                text.AppendLine($"        if (!Regex.IsMatch(input, \"{ValidationPattern}\"))");
                text.AppendLine("        {");
                text.AppendLine("            throw new ArgumentException(\"Invalid input.\", nameof(input));");
                text.AppendLine("        }");
                text.AppendLine();
                WriteSink(text, sink, "        ", "input");
                text.AppendLine("    }");
                break;
        }
    }

    private static void WriteHelper(StringBuilder text, SinkKind sink, string returnType)
    {
        text.AppendLine();
        text.AppendLine($"    private static {returnType} Execute(string value)");
        text.AppendLine("    {");
        WriteSink(text, sink, "        ", "value");
        text.AppendLine("    }");
    }

    /// <summary>The sink statements; <paramref name="value"/> null means a constant argument.</summary>
    private static void WriteSink(StringBuilder text, SinkKind sink, string indent, string? value)
    {
        switch (sink)
        {
            case SinkKind.OsCommand:
                text.AppendLine($"{indent}Process.Start(\"git\", {(value is null ? "\"status\"" : $"\"log --oneline \" + {value}")})?.WaitForExit();");
                text.AppendLine($"{indent}return \"done\";");
                break;
            case SinkKind.FilePath:
                text.AppendLine($"{indent}return System.IO.File.ReadAllText({(value is null ? "\"data/readme.txt\"" : $"\"data/\" + {value}")});");
                break;
            case SinkKind.Sql:
                text.AppendLine($"{indent}using var connection = new SqliteConnection(\"Data Source=app.db\");");
                text.AppendLine($"{indent}using var command = connection.CreateCommand();");
                text.AppendLine($"{indent}command.CommandText = {(value is null ? "\"SELECT COUNT(*) FROM items\"" : $"\"SELECT name FROM items WHERE id = '\" + {value} + \"'\"")};");
                text.AppendLine($"{indent}connection.Open();");
                text.AppendLine($"{indent}return command.ExecuteScalar()?.ToString() ?? string.Empty;");
                break;
            default:
                text.AppendLine($"{indent}return Http.GetStringAsync({(value is null ? "\"https://api.example.com/status\"" : $"\"https://\" + {value} + \"/status\"")});");
                break;
        }
    }

    private static string MethodName(SinkKind sink) => sink switch
    {
        SinkKind.OsCommand => "ShowLog",
        SinkKind.FilePath => "ReadFile",
        SinkKind.Sql => "FindItem",
        _ => "FetchStatus",
    };

    private static string Describe(SinkKind sink) => sink switch
    {
        SinkKind.OsCommand => "Shows the git log of a revision.",
        SinkKind.FilePath => "Reads a data file.",
        SinkKind.Sql => "Finds an item by id.",
        _ => "Fetches the status page of a host.",
    };

    private static string Snake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
