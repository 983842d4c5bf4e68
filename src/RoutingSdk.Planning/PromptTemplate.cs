using System;
using System.Collections.Generic;
using System.Text;

namespace RoutingSdk.Planning;

/// <summary>
/// A prompt template: literal text with <c>{name}</c> placeholders that name method parameters.
/// <c>{{</c> and <c>}}</c> stand for literal braces.
/// </summary>
internal sealed class PromptTemplate
{
    private PromptTemplate(IReadOnlyList<Segment> segments, IReadOnlyList<string> errors)
    {
        Segments = segments;
        Errors = errors;
    }

    /// <summary>The template's parts in order.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Syntax problems (an unclosed or empty placeholder); empty when the template is well formed.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Parses a template.</summary>
    public static PromptTemplate Parse(string template)
    {
        if (template is null) throw new ArgumentNullException(nameof(template));
        var segments = new List<Segment>();
        var errors = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{') { literal.Append('{'); i += 2; continue; }
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { literal.Append('}'); i += 2; continue; }
            if (c == '{')
            {
                var close = template.IndexOf('}', i + 1);
                if (close < 0)
                {
                    errors.Add($"the placeholder opened at offset {i} is not closed");
                    literal.Append(template, i, template.Length - i);
                    break;
                }

                var name = template.Substring(i + 1, close - i - 1).Trim();
                if (name.Length == 0) errors.Add($"the placeholder at offset {i} is empty");
                Flush(literal, segments);
                segments.Add(new Segment(name, IsPlaceholder: true, Offset: i, Length: close - i + 1));
                i = close + 1;
                continue;
            }

            literal.Append(c);
            i++;
        }

        Flush(literal, segments);
        return new PromptTemplate(segments, errors);
    }

    private static void Flush(StringBuilder literal, List<Segment> segments)
    {
        if (literal.Length == 0) return;
        segments.Add(new Segment(literal.ToString(), IsPlaceholder: false, Offset: -1, Length: 0));
        literal.Clear();
    }

    /// <summary>
    /// One part of a template: literal text, or a placeholder with the parameter name, its offset in the
    /// template and its length (braces included).
    /// </summary>
    public readonly record struct Segment(string Text, bool IsPlaceholder, int Offset, int Length);
}
