namespace RoutingSdk;

/// <summary>What a routed task does. The kind sets how routine the work is, and so which tier it needs.</summary>
public enum TaskKind
{
    /// <summary>Sort an input into one of a few known labels (an email into billing, technical or general).</summary>
    Classification = 0,
    /// <summary>Pull fields out of text (an order number, a date, an amount).</summary>
    Extraction = 1,
    /// <summary>Reshape content without changing its meaning (to JSON, a table, a style guide).</summary>
    Formatting = 2,
    /// <summary>Condense a text.</summary>
    Summarization = 3,
    /// <summary>Translate between languages.</summary>
    Translation = 4,
    /// <summary>Fill a known template (a reply, a notification).</summary>
    TemplateGeneration = 5,
    /// <summary>Write code.</summary>
    CodeGeneration = 6,
    /// <summary>Find the cause of a fault, often across layers.</summary>
    Debugging = 7,
    /// <summary>Judge a text (a contract clause, a design, a risk).</summary>
    Analysis = 8,
    /// <summary>Combine several sources into one view (research synthesis).</summary>
    Synthesis = 9,
    /// <summary>Long-form creative writing.</summary>
    CreativeWriting = 10,
    /// <summary>Multi-step reasoning (math, planning, logic).</summary>
    Reasoning = 11,
    /// <summary>Anything else.</summary>
    General = 12,
}

/// <summary>How hard one instance of a task is, independent of its kind.</summary>
public enum Complexity
{
    /// <summary>Almost no judgment; a rule could nearly do it.</summary>
    Trivial = 0,
    /// <summary>Routine, well-specified work.</summary>
    Low = 1,
    /// <summary>Some judgment or context needed.</summary>
    Medium = 2,
    /// <summary>Judgment-heavy work.</summary>
    High = 3,
    /// <summary>Expert, multi-layer work.</summary>
    Extreme = 4,
}

/// <summary>How a task moves up the tier chain when an answer is not good enough.</summary>
public enum Escalation
{
    /// <summary>Only the start tier is called and its answer is returned.</summary>
    None = 0,
    /// <summary>Start on the cheapest adequate tier and move up the chain when the answer is rejected (the default).</summary>
    Cascade = 1,
    /// <summary>A classifier picks the start tier before any call; then the chain behaves as a cascade.</summary>
    Classifier = 2,
}
