// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Progress;

/// <summary>How a long operation reports while it runs.</summary>
internal enum ProgressMode
{
    /// <summary>Nothing (--quiet).</summary>
    None,

    /// <summary>A live line redrawn in place, on a terminal.</summary>
    Live,

    /// <summary>A plain line every few seconds, when stderr is not a terminal.</summary>
    Lines,

    /// <summary>JSON status lines on stdout (--json).</summary>
    Json,
}
