using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RoutingSdk;

/// <summary>Reads a tier's response into the call's result.</summary>
internal interface IAnswerReader<T>
{
    bool TryRead(ChatResponse response, string text, out T value);
}

/// <summary>Task methods: the answer text through the task's parser.</summary>
internal readonly struct ParserReader<T> : IAnswerReader<T>
{
    private readonly IAnswerParser<T> _parser;

    public ParserReader(IAnswerParser<T> parser) => _parser = parser;

    /// <summary>The parser's verdict; a parser that throws (a record's constructor, text it cannot decode) has not read the answer.</summary>
    public bool TryRead(ChatResponse response, string text, out T value)
    {
        try
        {
            return _parser.TryParse(text, out value);
        }
        catch (Exception)
        {
            value = default!;
            return false;
        }
    }
}

/// <summary>Chat requests: the response itself, when it has any content.</summary>
internal readonly struct ResponseReader : IAnswerReader<ChatResponse>
{
    public bool TryRead(ChatResponse response, string text, out ChatResponse value)
    {
        value = response;
        if (text.Trim().Length > 0) return true;
        try
        {
            foreach (var message in response.Messages)
            {
                foreach (var content in message.Contents)
                {
                    if (content is not null and not TextContent) return true;   // a tool call or other non-text content is an answer
                }
            }
        }
        catch (Exception)
        {
            // Messages that cannot be read are no answer.
        }

        return false;
    }
}

/// <summary>The text of a tier's answer.</summary>
internal static class AnswerText
{
    /// <summary>The response's text: <see cref="ChatResponse.Text"/>, read directly in the common one-message, one-text case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Of(ChatResponse response)
    {
        if (response.Messages is List<ChatMessage> { Count: 1 } messages && messages[0].Contents is List<AIContent> { Count: 1 } contents && contents[0] is TextContent text)
            return text.Text ?? string.Empty;
        return Joined(response);
    }

    /// <summary>The general case; a response whose messages cannot be read (a null message or content) has no text.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Joined(ChatResponse response)
    {
        try
        {
            return response.Text ?? string.Empty;
        }
        catch (Exception)
        {
            return string.Empty;
        }
    }
}
