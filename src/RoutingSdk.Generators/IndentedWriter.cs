using System.Text;

namespace RoutingSdk.Generators;

/// <summary>Writes source text with four-space indentation and LF line ends, so output is byte-identical everywhere.</summary>
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

    public IndentedWriter Open(string text)
    {
        Line(text);
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
}
