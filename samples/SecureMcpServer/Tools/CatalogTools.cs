using System.ComponentModel;
using System.Text;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

[McpServerToolType]
public static class CatalogTools
{
    [McpServerTool(ReadOnly = true), Description("Lists the products of a category.")]
    public static string ListProducts([Description("The category name.")] string category)
    {
        using var connection = new SqliteConnection("Data Source=catalog.db");
        connection.Open();
        using var command = connection.CreateCommand();
        // The category travels as a parameter: it is never parsed as SQL.
        command.CommandText = "SELECT name, price FROM products WHERE category = @category";
        command.Parameters.AddWithValue("@category", category);
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
