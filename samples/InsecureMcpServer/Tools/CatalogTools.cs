using System.ComponentModel;
using System.Text;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public static class CatalogTools
{
    [McpServerTool(ReadOnly = true), Description("Lists the products of a category.")]
    public static string ListProducts([Description("The category name.")] string category)
    {
        using var connection = new SqliteConnection("Data Source=catalog.db");
        connection.Open();
        using var command = connection.CreateCommand();
        // "x' UNION SELECT password, 0 FROM users --" reads any table.
        command.CommandText = $"SELECT name, price FROM products WHERE category = '{category}'";
        return ReadAll(command);
    }

    private static string ReadAll(SqliteCommand command)
    {
        var text = new StringBuilder();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            text.Append(reader.GetString(0)).Append(": ").Append(reader.GetDouble(1)).AppendLine();
        }

        return text.ToString();
    }
}
