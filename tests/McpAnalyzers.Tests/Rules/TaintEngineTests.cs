using System.Threading.Tasks;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>Propagation, validation and source forms of the shared dataflow engine, observed through MCPSEC006.</summary>
public class TaintEngineTests
{
    private static string Tool(string members, string usings = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Text;
        using System.Text.Json;
        using System.Text.RegularExpressions;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        {{usings}}

        [McpServerToolType]
        public partial class Tools
        {
        {{members}}
        }
        """;

    [Fact]
    public Task LocalsReassignmentConcatenationInterpolation() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(string name)
            {
                var a = name;
                var b = "/data/" + a;
                var c = $"{b}.txt";
                string d;
                d = c;
                return {|MCPSEC006:File.ReadAllText(d)|};
            }

            [McpServerTool]
            public string B(string name)
            {
                var safe = name;
                safe = "constant.txt";
                return File.ReadAllText(safe);
            }
        """));

    [Fact]
    public Task StringFormatConcatJoinBuilderAndStringMethods() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public void A(string name, string[] parts)
            {
                {|MCPSEC006:File.Delete(string.Format("/data/{0}", name))|};
                {|MCPSEC006:File.Delete(string.Concat("/data/", name.Trim().ToLowerInvariant()))|};
                {|MCPSEC006:File.Delete(string.Join("/", parts))|};
                var sb = new StringBuilder("/data/");
                sb.Append(name.Substring(1).Replace("a", "b"));
                {|MCPSEC006:File.Delete(sb.ToString())|};
                {|MCPSEC006:File.Delete(new Uri(name).LocalPath)|};
            }
        """));

    [Fact]
    public Task TernarySwitchExpressionAndCoalesce() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(string name, bool flag, string? other)
            {
                var p = flag ? name : "default.txt";
                var q = flag switch { true => "x.txt", false => name };
                var r = other ?? "fallback.txt";
                return {|MCPSEC006:File.ReadAllText(p)|} + {|MCPSEC006:File.ReadAllText(q)|} + {|MCPSEC006:File.ReadAllText(r)|};
            }
        """));

    [Fact]
    public Task CollectionsForeachLinqAndDictionary() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public void A(string[] names, List<string> list, Dictionary<string, string> map, string one)
            {
                foreach (var n in names)
                {
                    {|MCPSEC006:File.Delete(n)|};
                }

                {|MCPSEC006:File.Delete(list[0])|};
                {|MCPSEC006:File.Delete(map["key"])|};
                foreach (var p in list.Where(x => x.Length > 0).Select(x => "/data/" + x))
                {
                    {|MCPSEC006:File.Delete(p)|};
                }

                var mine = new List<string>();
                mine.Add(one);
                {|MCPSEC006:File.Delete(mine.First())|};
                var arr = new[] { "a", one };
                {|MCPSEC006:File.Delete(arr[1])|};
            }
        """));

    [Fact]
    public Task DtoAndRecordMembers() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(FileRequest request, PathRecord record) => {|MCPSEC006:File.ReadAllText(request.Path)|} + {|MCPSEC006:File.ReadAllText(record.Path)|};
        """) + """

        public sealed class FileRequest
        {
            public string Path { get; set; } = "";
            public int Size { get; set; }
        }

        public sealed record PathRecord(string Path);
        """);

    [Fact]
    public Task InstanceFieldAssignedByAToolIsTaintedInOtherMethods() => Verify.VerifyAsync(Tool("""
            private string _path = "default.txt";

            [McpServerTool]
            public void SetPath(string path) => _path = path;

            [McpServerTool]
            public string ReadCurrent() => {|MCPSEC006:File.ReadAllText(_path)|};

            public string Helper() => {|MCPSEC006:File.ReadAllText(_path)|};
        """));

    [Fact]
    public Task PropertyAndStaticFieldAssignedByAToolAreTaintedInOtherMethods() => Verify.VerifyAsync(Tool("""
            private static readonly string Root = "/data/readme.txt";

            public string Current { get; set; } = "default.txt";

            [McpServerTool]
            public void Remember(string path)
            {
                Current = path;
                LastPath.Value = path;
            }

            public string ReadProperty() => {|MCPSEC006:File.ReadAllText(Current)|};

            public string ReadStatic() => {|MCPSEC006:File.ReadAllText(LastPath.Value)|};

            public string ReadReadonly() => File.ReadAllText(Root);
        """) + """

        public static class LastPath
        {
            public static string Value = "";
        }
        """);

    [Fact]
    public Task JsonElementAccessors() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public void A(JsonElement args)
            {
                {|MCPSEC006:File.Delete(args.GetProperty("path").GetString()!)|};
                {|MCPSEC006:File.Delete(args.GetRawText())|};
                {|MCPSEC006:File.Delete(args.ToString())|};
                File.Delete("/data/" + args.GetProperty("id").GetInt32());
            }
        """));

    [Fact]
    public Task LambdasAndLocalFunctionsCapture() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public void A(string name)
            {
                Action run = () => {|MCPSEC006:File.Delete(name)|};
                run();
                Delete(name);
                void Delete(string p) => {|MCPSEC006:File.Delete(p)|};
                string Build() => "/data/" + name;
                {|MCPSEC006:File.Delete(Build())|};
            }
        """));

    [Fact]
    public Task AsyncAwaitThroughHelper() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public async Task<string> A(string name)
            {
                var path = await ResolveAsync(name);
                return await {|MCPSEC006:File.ReadAllTextAsync(path)|};
            }

            private static async Task<string> ResolveAsync(string name)
            {
                await Task.Yield();
                return Path.Combine("/data", name);
            }
        """));

    [Fact]
    public Task UnknownExternalMethodsDoNotPropagate() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(string name)
            {
                var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)));
                var id = Guid.NewGuid().ToString();
                return File.ReadAllText("/cache/" + hash) + File.ReadAllText("/cache/" + id) + File.ReadAllText(name.Length.ToString());
            }
        """));

    [Fact]
    public Task ConstantsConfigurationAndInjectedParametersAreNotSources() => Verify.VerifyAsync(Tool("""
            private const string Root = "/data";

            [McpServerTool]
            public string A(Microsoft.Extensions.Configuration.IConfiguration config, McpServer server, System.Threading.CancellationToken ct, IServiceProvider services, System.Security.Claims.ClaimsPrincipal user, IProgress<ModelContextProtocol.ProgressNotificationValue> progress, int count, DayOfWeek day, bool flag)
            {
                var fromConfig = config["Files:Root"]!;
                return File.ReadAllText(Path.Combine(Root, fromConfig, count.ToString(), day.ToString(), flag.ToString(), user.Identity!.Name!));
            }

            public string NotATool(string path) => File.ReadAllText(path);
        """));

    [Fact]
    public Task DiServiceParametersAreNotSources() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(IFileNames names, FileService service) => File.ReadAllText(names.Current) + File.ReadAllText(service.Current);
        """) + """

        public interface IFileNames { string Current { get; } }
        public sealed class FileService
        {
            public string Current => "x";
        }
        """);

    [Fact]
    public Task PromptAndResourceParametersAreSources() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerPromptType]
        public static class Prompts
        {
            [McpServerPrompt]
            public static string Summarize(string file) => {|#0:File.ReadAllText(file)|};
        }

        [McpServerResourceType]
        public static class Resources
        {
            [McpServerResource(UriTemplate = "file://docs/{name}")]
            public static string Doc(string name) => {|#1:File.ReadAllText(name)|};
        }
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Prompt parameter 'file'", "File.ReadAllText", ""),
        Verify.Diagnostic("MCPSEC006").WithLocation(1).WithArguments("Resource parameter 'name'", "File.ReadAllText", ""));

    [Fact]
    public Task LowLevelHandlerArguments() => Verify.VerifyProgramAsync("""
        using System.IO;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Protocol;

        var services = new ServiceCollection();
        services.AddMcpServer().WithCallToolHandler((request, ct) =>
        {
            var path = request.Params!.Arguments!["path"].GetString()!;
            var text = {|#0:File.ReadAllText(path)|};
            if (request.Params.Arguments.TryGetValue("other", out var other))
            {
                {|#1:File.Delete(other.GetString()!)|};
            }

            return ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = text }] });
        });
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool argument 'path'", "File.ReadAllText", ""),
        Verify.Diagnostic("MCPSEC006").WithLocation(1).WithArguments("Tool argument 'other'", "File.Delete", ""));

    [Fact]
    public Task ToolCreatedFromLambda() => Verify.VerifyProgramAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        var tool = McpServerTool.Create((string path) => {|#0:File.ReadAllText(path)|});
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'path'", "File.ReadAllText", ""));

    [Fact]
    public Task IncompleteCodeDoesNotThrow() => new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test
    {
        TestCode = Tool("""
            [McpServerTool]
            public string A(string name, {|CS0246:Unknown|} thing)
            {
                var x = {|CS0103:Missing|}(name);
                File.ReadAllText({|CS0103:y|});
                return File.{|CS1501:ReadAllText|}(name, 1, 2, 3) + thing.Value;
            }

            [McpServerTool]
            public partial string {|CS8795:B|}(string name);
        """),
    }.RunAsync();
}
