using System;
using System.Collections.Generic;
using System.Linq;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC009 (code, type or expression): <c>Type.GetType(string)</c>, <c>Activator.CreateInstance(assemblyName, typeName)</c>
/// and <c>CreateInstanceFrom</c>, <c>Assembly.Load*</c>, <c>CSharpScript.EvaluateAsync/RunAsync/Create</c>,
/// <c>DataTable.Compute</c>/<c>Select</c> and <c>DataView.RowFilter</c>, System.Linq.Dynamic.Core expression text
/// (<c>DynamicExpressionParser.Parse*</c>, dynamic <c>Where/OrderBy/Select</c>), XPath
/// (<c>XPathNavigator.Select/Evaluate/...</c>, <c>XmlNode.SelectNodes/SelectSingleNode</c>, <c>XPathExpression.Compile</c>,
/// LINQ to XML <c>XPathSelectElement(s)/XPathEvaluate</c>), LDAP filters (<c>DirectorySearcher.Filter</c> and
/// constructor, <c>SearchRequest</c>), and Newtonsoft.Json <c>JsonConvert.DeserializeObject</c> with settings
/// whose <c>TypeNameHandling</c> is not <c>None</c>. The only validation is an allowlist of names (general checks).
/// </summary>
internal static class CodeEvaluationSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        bool IsString(IParameterSymbol p) => p.Type.SpecialType == SpecialType.System_String;

        Add("System.Type", t => MethodSink.Named(t, new[] { "GetType" }, p => p.Name == "typeName"));
        Add("System.Activator", t => MethodSink.Named(t, new[] { "CreateInstance", "CreateInstanceFrom" }, p => p.Name is "assemblyName" or "typeName" or "assemblyFile"));
        Add("System.Reflection.Assembly", t => new MethodSink(t, m => m.IsStatic && m.Name.StartsWith("Load", StringComparison.Ordinal) || m.Name == "UnsafeLoadFrom", p => p.Name is "assemblyString" or "assemblyFile" or "path" or "rawAssembly" or "assemblyName"));
        Add("System.Runtime.Loader.AssemblyLoadContext", t => new MethodSink(t, m => m.Name.StartsWith("LoadFrom", StringComparison.Ordinal), p => p.Name is "assemblyPath" or "nativeImagePath"));
        Add("Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript", t => MethodSink.Named(t, new[] { "EvaluateAsync", "RunAsync", "Create" }, p => p.Name == "code"));
        Add("System.Data.DataTable", t => MethodSink.Named(t, new[] { "Compute", "Select" }, p => p.Name is "expression" or "filter" or "filterExpression" or "sort"));
        Add("System.Data.DataView", t => new PropertySetSink(t, "RowFilter", "Sort"));
        Add("System.Linq.Dynamic.Core.DynamicExpressionParser", t => new MethodSink(t, m => m.Name.StartsWith("Parse", StringComparison.Ordinal), p => p.Name == "expression"));
        Add("System.Linq.Dynamic.Core.DynamicQueryableExtensions", t => new MethodSink(t, _ => true, p => IsString(p) && p.Name is "predicate" or "ordering" or "selector" or "keySelector" or "resultSelector"));
        Add("System.Xml.XPath.XPathNavigator", t => MethodSink.Named(t, new[] { "Select", "SelectSingleNode", "Evaluate", "Compile", "Matches", "SelectDescendants" }, p => IsString(p) && p.Name == "xpath"));
        Add("System.Xml.XPath.XPathExpression", t => MethodSink.Named(t, new[] { "Compile" }, p => p.Name == "xpath"));
        Add("System.Xml.XmlNode", t => new MethodSink(t, m => m.Name is "SelectNodes" or "SelectSingleNode", p => p.Name == "xpath", includeDerived: true));
        Add("System.Xml.XPath.Extensions", t => new MethodSink(t, m => m.Name.StartsWith("XPath", StringComparison.Ordinal), p => p.Name == "expression"));
        Add("System.DirectoryServices.DirectorySearcher", t => new PropertySetSink(t, "Filter"));
        Add("System.DirectoryServices.DirectorySearcher", t => new ConstructorSink(t, p => p.Name == "filter"));
        Add("System.DirectoryServices.Protocols.SearchRequest", t => new ConstructorSink(t, p => p.Name == "ldapFilter"));
        Add("System.DirectoryServices.Protocols.SearchRequest", t => new PropertySetSink(t, "Filter"));

        if (compilation.FindType("Newtonsoft.Json.JsonConvert") is { } jsonConvert
            && compilation.FindType("Newtonsoft.Json.JsonSerializerSettings") is { } settings)
        {
            sinks.Add(new CustomSink((operation, query, inputs) =>
            {
                if (operation is IInvocationOperation { TargetMethod: { Name: "DeserializeObject" or "PopulateObject" } method } invocation
                    && SymbolEqualityComparer.Default.Equals(method.ContainingType, jsonConvert)
                    && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "value") is { } value
                    && invocation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, settings)) is { } settingsArgument
                    && EnablesTypeNames(settingsArgument.Value, query))
                {
                    inputs.Add(new SinkInput(value.Value, "JsonConvert." + method.Name + " with TypeNameHandling"));
                }
            }));
        }

        return new TaintRuleSpec(Descriptors.CodeInjection, sinks);

        void Add(string metadataName, Func<INamedTypeSymbol, TaintSink> create)
        {
            if (compilation.FindType(metadataName) is { } type)
            {
                sinks.Add(create(type));
            }
        }
    }

    /// <summary>
    /// Settings created in place, in a local's initializer, or in a field initializer with
    /// <c>TypeNameHandling</c> set to a non-zero constant. The control-flow graph lowers object
    /// initializers, so the original operation tree of the creation is read instead.
    /// </summary>
    private static bool EnablesTypeNames(IOperation settings, TaintQuery query)
    {
        settings = OperationExtensions.WithoutConversions(settings);
        IOperation? creation = settings switch
        {
            ILocalReferenceOperation local => local.Local.DeclaringSyntaxReferences.FirstOrDefault() is { } reference
                ? (query.GetOriginalOperation(reference.GetSyntax()) as IVariableDeclaratorOperation)?.Initializer?.Value
                : null,
            IFieldReferenceOperation { Field: { } field } => query.GetFieldInitializer(field),
            _ => query.GetOriginalOperation(settings.Syntax),
        };

        if (creation is not null && OperationExtensions.WithoutConversions(creation) is IObjectCreationOperation { Initializer: { } initializer })
        {
            foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
            {
                if (assignment.Target is IPropertyReferenceOperation { Property.Name: "TypeNameHandling" }
                    && assignment.Value.ConstantValue.Value is int mode && mode != 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
