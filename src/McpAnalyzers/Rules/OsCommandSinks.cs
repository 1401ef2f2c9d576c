using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC005 (OS command): sinks are the executable and argument string of <c>Process.Start</c>, the
/// <c>ProcessStartInfo(fileName, arguments)</c> constructor, assignments to <c>ProcessStartInfo.FileName</c>
/// and <c>.Arguments</c>, and PowerShell <c>AddScript</c>. The compliant form needs no sanitiser:
/// arguments added one by one to <c>ProcessStartInfo.ArgumentList</c> (or passed as the
/// <c>IEnumerable&lt;string&gt;</c> of <c>Process.Start</c>) with a constant executable are not sinks —
/// except the shell form: when the constant executable is a shell (<c>sh</c>, <c>bash</c>, <c>zsh</c>,
/// <c>dash</c>, <c>ksh</c>, <c>cmd.exe</c>, <c>powershell</c>, <c>pwsh</c>) the list entry right after its
/// command flag (<c>-c</c>/<c>-lc</c>..., <c>/c</c>/<c>/k</c>, <c>-Command</c>/<c>-EncodedCommand</c>) is a
/// script, and tool input there is a sink. Entries after the script are positional parameters
/// (<c>bash -c 'grep -- "$1" log' _ input</c>): not sinks.
/// </summary>
internal static class OsCommandSinks
{
    private static readonly ImmutableHashSet<string> PosixShells = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "sh", "bash", "zsh", "dash", "ksh");

    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        var process = compilation.FindType("System.Diagnostics.Process");
        var startInfo = compilation.FindType("System.Diagnostics.ProcessStartInfo");
        if (process is not null)
        {
            sinks.Add(new MethodSink(
                process,
                m => m.Name == "Start" && m.IsStatic,
                p => p.Type.SpecialType == SpecialType.System_String && p.Name is "fileName" or "arguments"));
            sinks.Add(new CustomSink((operation, query, inputs) => ShellArgumentsOfStart(operation, process, inputs)));
        }

        if (startInfo is not null)
        {
            sinks.Add(new ConstructorSink(startInfo, p => p.Type.SpecialType == SpecialType.System_String && p.Name is "fileName" or "arguments"));
            sinks.Add(new PropertySetSink(startInfo, "FileName", "Arguments"));
            sinks.Add(new CustomSink((operation, query, inputs) => ShellScriptInArgumentList(operation, query, startInfo, inputs)));
        }

        if (compilation.FindType("System.Management.Automation.PowerShell") is { } powerShell)
        {
            sinks.Add(MethodSink.Named(powerShell, new[] { "AddScript" }, p => p.Name == "script"));
        }

        return new TaintRuleSpec(Descriptors.OsCommandInjection, sinks);
    }

    /// <summary>
    /// The shell a constant executable names (<c>/bin/bash</c> → <c>bash</c>, <c>cmd.exe</c> → <c>cmd</c>), or null.
    /// </summary>
    internal static string? ShellName(object? fileName)
    {
        if (fileName is not string text || text.Length == 0)
        {
            return null;
        }

        var name = text.Substring(Math.Max(text.LastIndexOf('/'), text.LastIndexOf('\\')) + 1);
        if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            name = name.Substring(0, name.Length - 4);
        }

        return PosixShells.Contains(name) || name.Equals("cmd", StringComparison.OrdinalIgnoreCase)
            || name.Equals("powershell", StringComparison.OrdinalIgnoreCase) || name.Equals("pwsh", StringComparison.OrdinalIgnoreCase)
            ? name.ToLowerInvariant()
            : null;
    }

    /// <summary>True when <paramref name="flag"/> makes <paramref name="shell"/> run the next argument as a script.</summary>
    internal static bool IsCommandFlag(string shell, object? flag)
    {
        if (flag is not string text || text.Length < 2)
        {
            return false;
        }

        switch (shell)
        {
            case "cmd":
                return text.Equals("/c", StringComparison.OrdinalIgnoreCase) || text.Equals("/k", StringComparison.OrdinalIgnoreCase);
            case "powershell" or "pwsh":
                // PowerShell accepts any unambiguous prefix: -c, -com, -Command; -e, -ec, -EncodedCommand.
                var name = text.TrimStart('-', '/');
                return text[0] is '-' or '/' && name.Length > 0
                    && ("command".StartsWith(name, StringComparison.OrdinalIgnoreCase)
                        || "encodedcommand".StartsWith(name, StringComparison.OrdinalIgnoreCase)
                        || name.Equals("ec", StringComparison.OrdinalIgnoreCase));
            default:
                // -c, and combined short options ending in c (-lc, -ec, -xc).
                return text[0] == '-' && text[1] != '-' && text[text.Length - 1] == 'c' && text.Skip(1).All(char.IsLetter);
        }
    }

    /// <summary><c>Process.Start("bash", new[] { "-c", input })</c>: the array element after the command flag.</summary>
    private static void ShellArgumentsOfStart(IOperation operation, INamedTypeSymbol process, List<SinkInput> inputs)
    {
        if (operation is not IInvocationOperation { TargetMethod: { Name: "Start", IsStatic: true } method } invocation
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, process)
            || invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "fileName") is not { } fileName
            || ShellName(fileName.Value.ConstantString()) is not { } shell
            || invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "arguments" && a.Parameter.Type.SpecialType != SpecialType.System_String) is not { } arguments
            || OperationExtensions.WithoutConversions(arguments.Value) is not IArrayCreationOperation { Initializer: { } initializer })
        {
            return;
        }

        AddScript(initializer.ElementValues, shell, "Process.Start(\"" + fileName.Value.ConstantString() + "\", ...)", inputs);
    }

    /// <summary>
    /// <c>psi.ArgumentList.Add(input)</c> (or an <c>ArgumentList = { ... }</c> initializer element) on a
    /// <c>ProcessStartInfo</c> whose constant <c>FileName</c> is a shell, right after the command flag.
    /// The entries and the executable are read from the original operation tree of the method body
    /// (the control-flow graph splits initializers and statements apart).
    /// </summary>
    private static void ShellScriptInArgumentList(IOperation operation, TaintQuery query, INamedTypeSymbol startInfo, List<SinkInput> inputs)
    {
        if (operation is not IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation { Property.Name: "ArgumentList" } list } invocation
            || !SymbolEqualityComparer.Default.Equals(list.Property.ContainingType, startInfo)
            || invocation.Arguments.Length != 1)
        {
            return;
        }

        IOperation? creation = null;
        ILocalSymbol? local = null;
        var syntax = invocation.Syntax;
        if (list.Instance is ILocalReferenceOperation { Local: { } receiver })
        {
            local = receiver;
            if (receiver.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration
                && query.GetOriginalOperation(declaration.GetSyntax()) is IVariableDeclaratorOperation { Initializer.Value: { } value })
            {
                creation = OperationExtensions.WithoutConversions(value);
            }
        }
        else if (invocation.IsImplicit)
        {
            // Collection initializer element: the creation is the enclosing object creation.
            for (var node = syntax.Parent; node is not null && creation is null; node = node.Parent)
            {
                if (query.GetOriginalOperation(node) is IObjectCreationOperation created && SymbolEqualityComparer.Default.Equals(created.Type, startInfo))
                {
                    creation = created;
                }
            }
        }

        object? fileName = null;
        var entries = new List<IOperation>();
        if (creation is IObjectCreationOperation objectCreation)
        {
            fileName = objectCreation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "fileName")?.Value.ConstantValue.Value;
            foreach (var initializer in objectCreation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "FileName" } } assignment)
                {
                    fileName = assignment.Value.ConstantValue.Value;
                }
                else if (initializer is IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation { Property.Name: "ArgumentList" }, Initializer: { } elements })
                {
                    entries.AddRange(elements.Initializers.OfType<IInvocationOperation>().Where(i => i.Arguments.Length == 1).Select(i => i.Arguments[0].Value));
                }
            }
        }

        if (local is not null && FindBody(syntax, query) is { } body)
        {
            // Statements on the local, in source order: psi.FileName = "bash"; psi.ArgumentList.Add(...).
            foreach (var descendant in body.DescendantsAndSelf())
            {
                if (descendant is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "FileName", Instance: ILocalReferenceOperation target } } assignment
                    && SymbolEqualityComparer.Default.Equals(target.Local, local))
                {
                    fileName = assignment.Value.ConstantValue.Value;
                }
                else if (descendant is IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation { Property.Name: "ArgumentList", Instance: ILocalReferenceOperation addTarget } } add
                    && add.Arguments.Length == 1 && SymbolEqualityComparer.Default.Equals(addTarget.Local, local))
                {
                    entries.Add(add.Arguments[0].Value);
                }
            }
        }

        if (ShellName(fileName) is not { } shell)
        {
            return;
        }

        // Match the flowing argument with its original-tree twin by syntax.
        var index = entries.FindIndex(e => e.Syntax == invocation.Arguments[0].Value.Syntax);
        if (index > 0 && IsCommandFlag(shell, entries[index - 1].ConstantValue.Value))
        {
            inputs.Add(new SinkInput(invocation.Arguments[0].Value, "ProcessStartInfo.ArgumentList (" + shell + " " + entries[index - 1].ConstantValue.Value + ")"));
        }
    }

    private static void AddScript(ImmutableArray<IOperation> elements, string shell, string sinkName, List<SinkInput> inputs)
    {
        for (var i = 1; i < elements.Length; i++)
        {
            if (IsCommandFlag(shell, elements[i - 1].ConstantValue.Value))
            {
                inputs.Add(new SinkInput(elements[i], sinkName));
                return;
            }
        }
    }

    /// <summary>The original operation tree of the member, local function, lambda or top-level program around <paramref name="syntax"/>.</summary>
    private static IOperation? FindBody(SyntaxNode syntax, TaintQuery query)
    {
        for (var node = syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax)
            {
                return query.GetOriginalOperation(node);
            }
        }

        return null;
    }
}
