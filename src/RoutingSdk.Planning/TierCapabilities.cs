using System;

namespace RoutingSdk;

/// <summary>What a model tier can do beyond answering in text, as its <c>[ModelTier]</c> declares it.</summary>
[Flags]
public enum TierCapabilities
{
    /// <summary>Text in, text out.</summary>
    None = 0,

    /// <summary>Answers in a JSON schema it is given (OpenAI's structured outputs, <c>ChatResponseFormat.ForJsonSchema</c>).</summary>
    StructuredOutput = 1,

    /// <summary>Calls tools (functions) it is given.</summary>
    ToolCalling = 2,

    /// <summary>Reads images in the request.</summary>
    ImageInput = 4,
}
