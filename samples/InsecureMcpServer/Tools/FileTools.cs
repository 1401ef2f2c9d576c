using System.ComponentModel;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public static class FileTools
{
    private static readonly string DocumentsRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "documents"));

    [McpServerTool(ReadOnly = true), Description("Reads a document from the server's document folder.")]
    public static string ReadDocument([Description("The document's file name.")] string name)
        // "../../etc/passwd" or an absolute path escapes the document folder.
        => File.ReadAllText(Path.Combine(DocumentsRoot, name));
}
