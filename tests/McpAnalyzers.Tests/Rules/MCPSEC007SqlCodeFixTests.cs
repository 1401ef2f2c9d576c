using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer, McpAnalyzers.CodeFixes.SqlParameterizationCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC007SqlCodeFixTests
{
    [Fact]
    public Task CommandTextBecomesParameterised() => Verify.VerifyFixAsync("""
        using Microsoft.Data.Sqlite;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class DbTools
        {
            [McpServerTool]
            public static void Delete(SqliteConnection connection, string name, string owner)
            {
                using var command = connection.CreateCommand();
                {|MCPSEC007:command.CommandText = $"DELETE FROM items WHERE name = '{name}' AND owner = " + owner|};
                command.ExecuteNonQuery();
            }

            [McpServerTool]
            public static void Find(SqliteConnection connection, string name)
            {
                using var command = connection.CreateCommand();
                {|MCPSEC007:command.CommandText = "SELECT * FROM items WHERE name = '" + name + "'"|};
                command.ExecuteReader();
            }
        }
        """, """
        using Microsoft.Data.Sqlite;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class DbTools
        {
            [McpServerTool]
            public static void Delete(SqliteConnection connection, string name, string owner)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM items WHERE name = @p0 AND owner = @p1";
                command.Parameters.AddWithValue("@p0", name);
                command.Parameters.AddWithValue("@p1", owner);
                command.ExecuteNonQuery();
            }

            [McpServerTool]
            public static void Find(SqliteConnection connection, string name)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT * FROM items WHERE name = @p0";
                command.Parameters.AddWithValue("@p0", name);
                command.ExecuteReader();
            }
        }
        """);

    [Fact]
    public Task EfCoreRawApisBecomeInterpolatedApis() => Verify.VerifyFixAsync("""
        using System.Linq;
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
            public int Find(string name)
                => {|MCPSEC007:db.Items.FromSqlRaw($"SELECT * FROM Items WHERE Name = '{name}'")|}.Count()
                    + {|MCPSEC007:db.Database.ExecuteSqlRaw($"DELETE FROM Items WHERE Name = {name}")|};
        }
        """, """
        using System.Linq;
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
            public int Find(string name)
                => db.Items.FromSql($"SELECT * FROM Items WHERE Name = {name}").Count()
                    + db.Database.ExecuteSql($"DELETE FROM Items WHERE Name = {name}");
        }
        """);
}
