using System;

namespace RoutingSdk.Cli;

/// <summary>A problem with the command line or its files, reported without a stack trace.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
