using System.Collections.Generic;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules;

internal static class CodeEvaluationSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        _ = compilation;
        return new TaintRuleSpec(Descriptors.MCPSEC009, sinks);
    }
}
