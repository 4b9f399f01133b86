// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Trees;

/// <summary>One extended attribute of a node. A null value is written and read as JSON null.</summary>
public sealed record ExtendedAttribute(string Name, byte[]? Value);
