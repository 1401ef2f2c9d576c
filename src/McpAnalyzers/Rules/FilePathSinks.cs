using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC006 (file path): sinks are the path arguments of <c>File.*</c>, <c>Directory.*</c>,
/// <c>FileInfo</c>/<c>DirectoryInfo</c> (constructors, <c>CopyTo</c>/<c>MoveTo</c>/<c>Replace</c>/<c>CreateSubdirectory</c>),
/// <c>FileStream</c>, <c>StreamReader</c>/<c>StreamWriter</c> constructors. Sanitisers: <c>Path.GetFileName</c>
/// (and <c>GetFileNameWithoutExtension</c>/<c>GetExtension</c>: no directory part survives), and a guard
/// that the full path starts with a fixed root (<c>full.StartsWith(root, StringComparison.Ordinal*)</c>
/// where <c>full</c> is <c>Path.GetFullPath(...)</c>).
/// </summary>
internal static class FilePathSinks
{
    /// <summary>Parameter names the BCL uses for paths (contents, encodings and streams are not sinks).</summary>
    private static readonly ImmutableHashSet<string> PathParameters = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "path", "path1", "path2", "fileName", "sourceFileName", "destFileName", "destinationBackupFileName",
        "sourceDirName", "destDirName", "pathToTarget", "linkPath", "destinationFileName");

    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        bool IsPath(IParameterSymbol p) => p.Type.SpecialType == SpecialType.System_String && PathParameters.Contains(p.Name);

        foreach (var name in new[] { "System.IO.File", "System.IO.Directory" })
        {
            if (compilation.FindType(name) is { } type)
            {
                sinks.Add(new MethodSink(type, _ => true, IsPath));
            }
        }

        foreach (var name in new[] { "System.IO.FileInfo", "System.IO.DirectoryInfo" })
        {
            if (compilation.FindType(name) is { } type)
            {
                sinks.Add(new ConstructorSink(type, IsPath));
                sinks.Add(new MethodSink(type, m => !m.IsStatic, IsPath));
            }
        }

        foreach (var name in new[] { "System.IO.FileStream", "System.IO.StreamReader", "System.IO.StreamWriter" })
        {
            if (compilation.FindType(name) is { } type)
            {
                sinks.Add(new ConstructorSink(type, IsPath));
            }
        }

        var path = compilation.FindType("System.IO.Path");
        var sanitizers = new List<TaintSanitizer>();
        var checks = new List<TaintCheck>();
        if (path is not null)
        {
            sanitizers.Add(new CustomSanitizer((operation, _) =>
                operation is IInvocationOperation { TargetMethod: { Name: "GetFileName" or "GetFileNameWithoutExtension" or "GetExtension" } method }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, path)
                && method.ReturnType.SpecialType == SpecialType.System_String));
            checks.Add(new RootConfinementCheck(path));
        }

        return new TaintRuleSpec(Descriptors.FilePathInjection, sinks, sanitizers, checks);
    }

    /// <summary>
    /// <c>full.StartsWith(root, StringComparison.Ordinal)</c> (or <c>OrdinalIgnoreCase</c>) where
    /// <c>full</c> is <c>Path.GetFullPath(...)</c> (directly or through a local) and <c>root</c> is not
    /// tainted: the full path is safe when the call returns true.
    /// </summary>
    private sealed class RootConfinementCheck : TaintCheck
    {
        private readonly INamedTypeSymbol _path;

        public RootConfinementCheck(INamedTypeSymbol path) => _path = path;

        public override bool TryMatch(IOperation condition, TaintQuery query, out IOperation checkedValue, out bool whenTrue)
        {
            checkedValue = condition;
            whenTrue = true;
            if (condition is not IInvocationOperation { TargetMethod: { Name: "StartsWith", IsStatic: false } method, Instance: { } instance } invocation
                || method.ContainingType?.SpecialType != SpecialType.System_String
                || invocation.Arguments.Length != 2
                || invocation.Arguments[1].Value.ConstantValue.Value is not int comparison
                || (comparison != (int)StringComparison.Ordinal && comparison != (int)StringComparison.OrdinalIgnoreCase)
                || !query.TaintOf(invocation.Arguments[0].Value).IsClean)
            {
                return false;
            }

            var receiver = OperationExtensions.WithoutConversions(instance);
            if (IsGetFullPath(receiver))
            {
                checkedValue = ((IInvocationOperation)receiver).Arguments[0].Value;
                return true;
            }

            if (receiver is ILocalReferenceOperation local)
            {
                var values = query.GetAssignedValues(local.Local);
                if (!values.IsEmpty && values.All(v => IsGetFullPath(OperationExtensions.WithoutConversions(v))))
                {
                    checkedValue = receiver;
                    return true;
                }
            }

            return false;
        }

        private bool IsGetFullPath(IOperation operation)
            => operation is IInvocationOperation { TargetMethod: { Name: "GetFullPath" } method } invocation
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, _path)
                && invocation.Arguments.Length >= 1;
    }
}
