using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

[McpServerToolType]
public static class FileTools
{
    private static readonly string DocumentsRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "documents"));

    [McpServerTool(ReadOnly = true), Description("Reads a document from the server's document folder.")]
    public static string ReadDocument([Description("The document's file name.")] string name)
    {
        // The full path must stay inside the document folder (separator included: "documents-old" is outside).
        var fullPath = Path.GetFullPath(Path.Combine(DocumentsRoot, name));
        if (!fullPath.StartsWith(DocumentsRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new McpException("The document name must not leave the document folder.");
        }

        return File.ReadAllText(fullPath);
    }
}
