namespace RoutingSdk;

/// <summary>The two answers a <see cref="ShadowOptions.Comparer"/> judges: the one accepted below the last tier and the last tier's.</summary>
public sealed class ShadowAnswers
{
    /// <summary>Creates the pair.</summary>
    public ShadowAnswers(string taskName, string acceptedTier, string acceptedText, string lastTier, string lastText)
    {
        TaskName = taskName;
        AcceptedTier = acceptedTier;
        AcceptedText = acceptedText;
        LastTier = lastTier;
        LastText = lastText;
    }

    /// <summary>The task.</summary>
    public string TaskName { get; }

    /// <summary>The tier whose answer was accepted and returned to the caller.</summary>
    public string AcceptedTier { get; }

    /// <summary>Its answer text.</summary>
    public string AcceptedText { get; }

    /// <summary>The chain's last tier, asked in the background.</summary>
    public string LastTier { get; }

    /// <summary>Its answer text.</summary>
    public string LastText { get; }
}
