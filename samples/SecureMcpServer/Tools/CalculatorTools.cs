using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

public enum ArithmeticOperation
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

[McpServerToolType]
public static class CalculatorTools
{
    [McpServerTool(ReadOnly = true), Description("Applies one arithmetic operation to two numbers.")]
    public static decimal Calculate(decimal left, ArithmeticOperation operation, decimal right)
        // Typed operands and an enum operator: nothing of the input is evaluated as an expression.
        => operation switch
        {
            ArithmeticOperation.Add => left + right,
            ArithmeticOperation.Subtract => left - right,
            ArithmeticOperation.Multiply => left * right,
            ArithmeticOperation.Divide when right != 0 => left / right,
            ArithmeticOperation.Divide => throw new McpException("Division by zero."),
            _ => throw new McpException("Unknown operation."),
        };
}
