using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace RoutingSdk.Generators;

/// <summary>
/// Writes source text with four-space indentation and LF line ends, so output is byte-identical everywhere. A line is
/// either written whole (<see cref="Line"/>) or in pieces (<see cref="Start"/>, the <c>Append</c> methods, <see cref="End"/>),
/// so that a line made of many parts is not first built as a string of its own: the generator's allocations are what
/// the compile pays for in garbage collections (docs/performance.md).
/// </summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _builder;
    private int _depth;

    /// <summary>A writer with room for <paramref name="capacity"/> characters, so that a large file is not copied as it grows.</summary>
    public IndentedWriter(int capacity = 1024) => _builder = new StringBuilder(capacity);

    public IndentedWriter Line(string text = "")
    {
        if (text.Length > 0) _builder.Append(' ', _depth * 4).Append(text);
        _builder.Append('\n');
        return this;
    }

    /// <summary>Starts a line written in pieces: its indentation.</summary>
    public IndentedWriter Start()
    {
        _builder.Append(' ', _depth * 4);
        return this;
    }

    public IndentedWriter Append(string text)
    {
        _builder.Append(text);
        return this;
    }

    public IndentedWriter Append(char c)
    {
        _builder.Append(c);
        return this;
    }

    /// <summary>A C# string literal of <paramref name="text"/>, quoted and escaped as <see cref="SymbolDisplay.FormatLiteral(string, bool)"/> writes it.</summary>
    public IndentedWriter Literal(string text)
    {
        if (NeedsEscaping(text)) _builder.Append(SymbolDisplay.FormatLiteral(text, quote: true));
        else _builder.Append('"').Append(text).Append('"');
        return this;
    }

    /// <summary>A double as a round-trip C# literal (<c>0.85</c>).</summary>
    public IndentedWriter Number(double value)
    {
        _builder.Append(NumberText(value));
        return this;
    }

    /// <summary>A decimal as a C# literal (<c>0.133479m</c>).</summary>
    public IndentedWriter Number(decimal value)
    {
        _builder.Append(NumberText(value));
        return this;
    }

    /// <summary>The text <see cref="Literal(string)"/> writes, for code built as a string first.</summary>
    public static string LiteralText(string text) => NeedsEscaping(text) ? SymbolDisplay.FormatLiteral(text, quote: true) : "\"" + text + "\"";

    /// <summary>The text <see cref="Number(double)"/> writes.</summary>
    public static string NumberText(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The text <see cref="Number(decimal)"/> writes.</summary>
    public static string NumberText(decimal value) => value.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>Ends a line written in pieces.</summary>
    public IndentedWriter End(string text = "")
    {
        _builder.Append(text).Append('\n');
        return this;
    }

    public IndentedWriter Open(string text)
    {
        Line(text);
        Line("{");
        _depth++;
        return this;
    }

    /// <summary>Ends a line written in pieces with an opening brace on the next line, and indents.</summary>
    public IndentedWriter EndOpen()
    {
        End();
        Line("{");
        _depth++;
        return this;
    }

    public IndentedWriter Close(string suffix = "")
    {
        _depth--;
        return Line("}" + suffix);
    }

    public override string ToString() => _builder.ToString();

    /// <summary>Whether a literal of <paramref name="text"/> needs more than quotes: a quote, a backslash or a character C# escapes.</summary>
    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c is '"' or '\\' || c < ' ' || c >= '\u007f') return true;
        }

        return false;
    }
}
