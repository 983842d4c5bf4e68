namespace RoutingSdk;

/// <summary>
/// Per chain position, what each called tier answered, as an acceptor reads it: the score as a log-probability (NaN when
/// not called or unread) and the answer key (null when none). Sized by the chain; a plan's state lends one to a call and
/// takes it back cleared, so a call that escalates does not allocate one.
/// </summary>
internal sealed class AcceptanceHistory
{
    public AcceptanceHistory(int tiers)
    {
        Confidences = new double[tiers];
        Answers = new string?[tiers];
        Clear();
    }

    public double[] Confidences { get; }

    public string?[] Answers { get; }

    public void Clear()
    {
        for (var i = 0; i < Confidences.Length; i++)
        {
            Confidences[i] = double.NaN;
            Answers[i] = null;
        }
    }
}
