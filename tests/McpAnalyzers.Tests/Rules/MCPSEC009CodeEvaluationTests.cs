using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC009CodeEvaluationTests
{
    [Fact]
    public Task TypeAssemblyScriptAndExpressionForms() => Verify.VerifyAsync("""
        using System;
        using System.Data;
        using System.Linq;
        using System.Reflection;
        using System.Threading.Tasks;
        using System.Xml;
        using Microsoft.CodeAnalysis.CSharp.Scripting;
        using ModelContextProtocol.Server;
        using Newtonsoft.Json;

        [McpServerToolType]
        public static class EvalTools
        {
            private static readonly JsonSerializerSettings Unsafe = new() { TypeNameHandling = TypeNameHandling.All };

            [McpServerTool]
            public static async Task<object?> Run(string name, string code, string expr, string xpath, string json)
            {
                var type = {|#0:Type.GetType(name)|};
                var handle = {|MCPSEC009:Activator.CreateInstance("MyAssembly", name)|};
                var asm = {|MCPSEC009:Assembly.Load(name)|};
                var result = await {|MCPSEC009:CSharpScript.EvaluateAsync<int>(code)|};
                var computed = {|MCPSEC009:new DataTable().Compute(expr, "")|};
                var doc = new XmlDocument();
                var nodes = {|MCPSEC009:doc.SelectNodes("//user[name='" + xpath + "']")|};
                var lambda = {|MCPSEC009:System.Linq.Dynamic.Core.DynamicExpressionParser.ParseLambda(typeof(int), typeof(bool), expr)|};
                var obj = {|MCPSEC009:JsonConvert.DeserializeObject(json, Unsafe)|};
                var safe = JsonConvert.DeserializeObject(json);
                var inline = {|MCPSEC009:JsonConvert.DeserializeObject(json, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Auto })|};
                return type;
            }
        }
        """,
        Verify.Diagnostic("MCPSEC009").WithLocation(0).WithArguments("Tool parameter 'name'", "Type.GetType", ""));

    [Fact]
    public Task AllowlistOfNamesIsCompliant() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class EvalTools
        {
            private static readonly Dictionary<string, Type> Known = new() { ["list"] = typeof(List<int>) };
            private static readonly HashSet<string> KnownNames = new() { "System.String" };

            [McpServerTool]
            public static object? Create(string name)
            {
                if (Known.TryGetValue(name, out var type))
                {
                    return Activator.CreateInstance(type);
                }

                if (!KnownNames.Contains(name)) throw new ArgumentException("Unknown type.", nameof(name));
                return Type.GetType(name);
            }
        }
        """);
}

public class MCPSEC009XPathAndLdapSinkTests
{
    [Fact]
    public Task XPathNavigatorAndXmlNodeSinks() => Verify.VerifyAsync("""
        using System.Xml;
        using System.Xml.XPath;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class XmlTools
        {
            [McpServerTool]
            public static object Find(string name, string xpath)
            {
                var doc = new XmlDocument();
                doc.LoadXml("<users/>");
                var navigator = doc.CreateNavigator()!;
                var selected = {|#0:navigator.Select("//user[@name='" + name + "']")|};
                var evaluated = {|MCPSEC009:navigator.Evaluate($"count(//user[@name='{name}'])")|};
                var single = {|MCPSEC009:navigator.SelectSingleNode(xpath)|};
                var nodes = {|MCPSEC009:doc.SelectNodes(xpath)|};
                var node = {|MCPSEC009:doc.DocumentElement!.SelectSingleNode(xpath)|};
                var constant = doc.SelectNodes("//user");
                return new object?[] { selected, evaluated, single, nodes, node, constant };
            }
        }
        """,
        Verify.Diagnostic("MCPSEC009").WithLocation(0).WithArguments("Tool parameter 'name'", "XPathNavigator.Select", ""));

    [Fact]
    public Task LdapFilterSinks() => Verify.VerifyAsync("""
        using System.DirectoryServices;
        using ModelContextProtocol.Server;

        #pragma warning disable CA1416
        [McpServerToolType]
        public static class DirectoryTools
        {
            [McpServerTool]
            public static SearchResult? FindUser(string user)
            {
                using var searcher = new DirectorySearcher();
                {|#0:searcher.Filter = "(&(objectClass=user)(sAMAccountName=" + user + "))"|};
                using var other = {|MCPSEC009:new DirectorySearcher($"(cn={user})")|};
                using var fixedFilter = new DirectorySearcher("(objectClass=user)");
                return searcher.FindOne();
            }
        }
        """,
        Verify.Diagnostic("MCPSEC009").WithLocation(0).WithArguments("Tool parameter 'user'", "DirectorySearcher.Filter", ""));
}
