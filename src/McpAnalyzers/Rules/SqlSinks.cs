using System.Collections.Generic;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC007 (SQL): sinks are SQL text given to ADO.NET (<c>DbCommand.CommandText</c> and every
/// provider command deriving from it — <c>SqliteCommand</c>, <c>NpgsqlCommand</c>, <c>SqlCommand</c> —,
/// <c>IDbCommand.CommandText</c>, <c>DbBatchCommand.CommandText</c>, command constructors taking the
/// text), EF Core (<c>FromSqlRaw</c>, <c>ExecuteSqlRaw(Async)</c>, <c>SqlQueryRaw</c>) and Dapper
/// (<c>Query*</c>/<c>Execute*</c>). The compliant forms are never tainted: parameters carry the
/// input, and <c>FromSql</c>/<c>FromSqlInterpolated</c>/<c>ExecuteSql</c> turn interpolation holes into parameters.
/// </summary>
internal static class SqlSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        bool IsSqlText(IParameterSymbol p) => p.Type.SpecialType == SpecialType.System_String && p.Name is "commandText" or "cmdText" or "sql";

        if (compilation.FindType("System.Data.Common.DbCommand") is { } dbCommand)
        {
            sinks.Add(new PropertySetSink(dbCommand, "CommandText"));
            sinks.Add(new ConstructorSink(dbCommand, IsSqlText, includeDerived: true));
        }

        if (compilation.FindType("System.Data.IDbCommand") is { } idbCommand)
        {
            sinks.Add(new PropertySetSink(idbCommand, "CommandText"));
        }

        if (compilation.FindType("System.Data.Common.DbBatchCommand") is { } batchCommand)
        {
            sinks.Add(new PropertySetSink(batchCommand, "CommandText"));
        }

        if (compilation.FindType("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions") is { } queryable)
        {
            sinks.Add(MethodSink.Named(queryable, new[] { "FromSqlRaw" }, IsSqlText));
        }

        if (compilation.FindType("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions") is { } database)
        {
            sinks.Add(MethodSink.Named(database, new[] { "ExecuteSqlRaw", "ExecuteSqlRawAsync", "SqlQueryRaw" }, IsSqlText));
        }

        if (compilation.FindType("Dapper.SqlMapper") is { } dapper)
        {
            sinks.Add(new MethodSink(dapper, m => m.Name.StartsWith("Query", System.StringComparison.Ordinal) || m.Name.StartsWith("Execute", System.StringComparison.Ordinal), IsSqlText));
        }

        return new TaintRuleSpec(Descriptors.SqlInjection, sinks);
    }
}
