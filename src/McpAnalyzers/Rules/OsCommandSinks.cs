using System.Collections.Generic;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC005 (OS command): sinks are the executable and argument string of <c>Process.Start</c>, the
/// <c>ProcessStartInfo(fileName, arguments)</c> constructor, assignments to <c>ProcessStartInfo.FileName</c>
/// and <c>.Arguments</c>, and PowerShell <c>AddScript</c>. The compliant form needs no sanitiser:
/// arguments added one by one to <c>ProcessStartInfo.ArgumentList</c> (or passed as the
/// <c>IEnumerable&lt;string&gt;</c> of <c>Process.Start</c>) with a constant executable are not sinks.
/// </summary>
internal static class OsCommandSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        if (compilation.GetTypeByMetadataName("System.Diagnostics.Process") is { } process)
        {
            sinks.Add(new MethodSink(
                process,
                m => m.Name == "Start" && m.IsStatic,
                p => p.Type.SpecialType == SpecialType.System_String && p.Name is "fileName" or "arguments"));
        }

        if (compilation.GetTypeByMetadataName("System.Diagnostics.ProcessStartInfo") is { } startInfo)
        {
            sinks.Add(new ConstructorSink(startInfo, p => p.Type.SpecialType == SpecialType.System_String && p.Name is "fileName" or "arguments"));
            sinks.Add(new PropertySetSink(startInfo, "FileName", "Arguments"));
        }

        if (compilation.GetTypeByMetadataName("System.Management.Automation.PowerShell") is { } powerShell)
        {
            sinks.Add(MethodSink.Named(powerShell, new[] { "AddScript" }, p => p.Name == "script"));
        }

        return new TaintRuleSpec(Descriptors.MCPSEC005, sinks);
    }
}
