using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// The small JSON reader behind <see cref="CalibrationFile.Parse"/>: values with their line and column, so that every
/// problem can be reported where it is. Hand-written because the generator, which runs it, carries no dependency.
/// </summary>
internal static partial class CalibrationFile
{
    private enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        Literal,
    }

    private sealed class JsonValue
    {
        public JsonValue(JsonKind kind, int line, int column)
        {
            Kind = kind;
            Line = line;
            Column = column;
        }

        public JsonKind Kind { get; }
        public int Line { get; }
        public int Column { get; }
        public string? Text { get; set; }
        public double Number { get; set; }
        public List<(string Name, JsonValue Value, JsonValue Key)>? Members { get; set; }
        public List<JsonValue>? Items { get; set; }

        public CalibrationError Error(string message) => new(Line, Column, message);
    }

    /// <summary>A strict JSON reader (RFC 8259) that tracks line and column; stops at the first syntax error.</summary>
    private sealed class JsonReader
    {
        private readonly string _text;
        private readonly List<CalibrationError> _errors;
        private int _pos, _line = 1, _lineStart;

        public JsonReader(string text, List<CalibrationError> errors)
        {
            _text = text;
            _errors = errors;
        }

        private int Column => _pos - _lineStart + 1;

        public JsonValue? ReadDocument()
        {
            try
            {
                SkipSpace();
                if (_pos == 0 && _text.Length > 0 && _text[0] == '\uFEFF') { _pos++; _lineStart = 1; SkipSpace(); }
                if (_pos >= _text.Length) throw Fail("the file is empty; expected a JSON object");
                var value = ReadValue(0);
                SkipSpace();
                if (_pos < _text.Length) throw Fail($"unexpected '{_text[_pos]}' after the end of the JSON value");
                return value;
            }
            catch (SyntaxException ex)
            {
                _errors.Add(ex.Error);
                return null;
            }
        }

        private SyntaxException Fail(string message) => new(new CalibrationError(_line, Column, message));

        private void SkipSpace()
        {
            while (_pos < _text.Length)
            {
                var ch = _text[_pos];
                if (ch == '\n')
                {
                    _pos++;
                    _line++;
                    _lineStart = _pos;
                }
                else if (ch == ' ' || ch == '\t' || ch == '\r')
                {
                    _pos++;
                }
                else
                {
                    break;
                }
            }
        }

        private JsonValue ReadValue(int depth)
        {
            if (depth > 64) throw Fail("the JSON nests too deeply");
            SkipSpace();
            if (_pos >= _text.Length) throw Fail("unexpected end of the file; expected a value");
            var ch = _text[_pos];
            int line = _line, column = Column;
            switch (ch)
            {
                case '{':
                {
                    _pos++;
                    var value = new JsonValue(JsonKind.Object, line, column) { Members = new List<(string, JsonValue, JsonValue)>() };
                    SkipSpace();
                    if (Peek() == '}')
                    {
                        _pos++;
                        return value;
                    }

                    // The names seen so far, for the duplicate check: a set, so that an object of n members (the "tasks"
                    // of a large file) is read in linear time, not n² / 2 comparisons.
                    var names = new HashSet<string>(StringComparer.Ordinal);

                    while (true)
                    {
                        SkipSpace();
                        if (Peek() != '"') throw Fail("expected a member name in double quotes");
                        var key = new JsonValue(JsonKind.String, _line, Column);
                        key.Text = ReadString();
                        if (!names.Add(key.Text)) throw new SyntaxException(key.Error($"member \"{key.Text}\" appears twice in the same object"));
                        SkipSpace();
                        if (Peek() != ':') throw Fail($"expected ':' after member name \"{key.Text}\"");
                        _pos++;
                        value.Members.Add((key.Text, ReadValue(depth + 1), key));
                        SkipSpace();
                        if (_pos >= _text.Length) throw Fail("unexpected end of the file; expected ',' or '}'");
                        var next = Peek();
                        _pos++;
                        if (next == '}') return value;
                        if (next != ',')
                        {
                            _pos--;
                            throw Fail("expected ',' or '}' after an object member");
                        }
                    }
                }

                case '[':
                {
                    _pos++;
                    var value = new JsonValue(JsonKind.Array, line, column) { Items = new List<JsonValue>() };
                    SkipSpace();
                    if (Peek() == ']')
                    {
                        _pos++;
                        return value;
                    }

                    while (true)
                    {
                        value.Items.Add(ReadValue(depth + 1));
                        SkipSpace();
                        if (_pos >= _text.Length) throw Fail("unexpected end of the file; expected ',' or ']'");
                        var next = Peek();
                        _pos++;
                        if (next == ']') return value;
                        if (next != ',')
                        {
                            _pos--;
                            throw Fail("expected ',' or ']' after an array element");
                        }
                    }
                }

                case '"':
                    return new JsonValue(JsonKind.String, line, column) { Text = ReadString() };
                case 't':
                case 'f':
                case 'n':
                    foreach (var literal in new[] { "true", "false", "null" })
                    {
                        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) == 0)
                        {
                            _pos += literal.Length;
                            return new JsonValue(JsonKind.Literal, line, column) { Text = literal };
                        }
                    }

                    throw Fail("unexpected word; expected a value");
                default:
                    if (ch == '-' || (ch >= '0' && ch <= '9')) return ReadNumber(line, column);
                    throw Fail($"unexpected '{ch}'; expected a value");
            }
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private JsonValue ReadNumber(int line, int column)
        {
            var start = _pos;
            if (Peek() == '-') _pos++;
            if (Peek() == '0') _pos++;
            else if (char.IsDigit(Peek())) while (char.IsDigit(Peek())) _pos++;
            else throw Fail("a number needs digits");
            if (Peek() == '.')
            {
                _pos++;
                if (!char.IsDigit(Peek())) throw Fail("a number needs digits after the decimal point");
                while (char.IsDigit(Peek())) _pos++;
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-') _pos++;
                if (!char.IsDigit(Peek())) throw Fail("a number needs digits in its exponent");
                while (char.IsDigit(Peek())) _pos++;
            }

            var number = double.Parse(_text.Substring(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(number)) throw new SyntaxException(new CalibrationError(line, column, "the number is too large"));
            return new JsonValue(JsonKind.Number, line, column) { Number = number };
        }

        private string ReadString()
        {
            _pos++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Fail("a string is not closed before the end of the file");
                var ch = _text[_pos];
                if (ch == '"')
                {
                    _pos++;
                    return sb.ToString();
                }

                if (ch == '\n' || ch < ' ') throw Fail("a string may not hold a raw line break or control character");
                if (ch == '\\')
                {
                    _pos++;
                    var esc = Peek();
                    switch (esc)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (_pos + 4 >= _text.Length || !int.TryParse(_text.Substring(_pos + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                                throw Fail("\\u needs four hex digits");
                            sb.Append((char)code);
                            _pos += 4;
                            break;
                        default:
                            throw Fail($"unknown escape '\\{esc}' in a string");
                    }

                    _pos++;
                    continue;
                }

                sb.Append(ch);
                _pos++;
            }
        }
    }

    private sealed class SyntaxException : Exception
    {
        public SyntaxException(CalibrationError error)
            : base(error.Message) => Error = error;

        public CalibrationError Error { get; }
    }
}
