using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC007SqlTests
{
    [Fact]
    public Task AdoNetForms() => Verify.VerifyAsync("""
        using Microsoft.Data.Sqlite;
        using ModelContextProtocol.Server;
        using Npgsql;

        [McpServerToolType]
        public static class DbTools
        {
            [McpServerTool]
            public static void Query(SqliteConnection connection, NpgsqlConnection pg, string table, string name)
            {
                using var command = connection.CreateCommand();
                {|#0:command.CommandText = BuildQuery(table)|};
                using var second = {|MCPSEC007:new SqliteCommand($"DELETE FROM items WHERE name = '{name}'", connection)|};
                using var third = {|MCPSEC007:new NpgsqlCommand("SELECT * FROM " + table, pg)|};
                System.Data.Common.DbCommand generic = command;
                {|MCPSEC007:generic.CommandText = "SELECT " + name|};
            }

            private static string BuildQuery(string table) => "SELECT * FROM " + table;
        }
        """,
        Verify.Diagnostic("MCPSEC007").WithLocation(0).WithArguments("Tool parameter 'table'", "SqliteCommand.CommandText", " through BuildQuery(string)"));

    [Fact]
    public Task ParameterizedCommandIsCompliant() => Verify.VerifyAsync("""
        using Microsoft.Data.Sqlite;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class DbTools
        {
            [McpServerTool]
            public static void Query(SqliteConnection connection, string name)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT * FROM items WHERE name = @name";
                command.Parameters.AddWithValue("@name", name);
                command.ExecuteReader();
            }
        }
        """);

    [Fact]
    public Task EfCoreAndDapper() => Verify.VerifyAsync("""
        using System.Linq;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;

        public sealed class Item { public int Id { get; set; } public string Name { get; set; } = ""; }

        public sealed class AppDb : DbContext
        {
            public DbSet<Item> Items => Set<Item>();
        }

        [McpServerToolType]
        public sealed class DbTools(AppDb db)
        {
            [McpServerTool]
            public int Find(string name, SqliteConnection connection)
            {
                var a = {|MCPSEC007:db.Items.FromSqlRaw($"SELECT * FROM Items WHERE Name = '{name}'")|}.Count();
                var b = db.Items.FromSql($"SELECT * FROM Items WHERE Name = {name}").Count();
                var c = db.Items.FromSqlInterpolated($"SELECT * FROM Items WHERE Name = {name}").Count();
                var d = {|MCPSEC007:db.Database.ExecuteSqlRaw("DELETE FROM Items WHERE Name = '" + name + "'")|};
                var e = db.Database.ExecuteSql($"DELETE FROM Items WHERE Name = {name}");
                var f = {|MCPSEC007:connection.Query<Item>("SELECT * FROM Items WHERE Name = '" + name + "'")|}.Count();
                var g = connection.Query<Item>("SELECT * FROM Items WHERE Name = @name", new { name }).Count();
                return a + b + c + d + e + f + g;
            }
        }
        """);
}
