using System.Collections.Immutable;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Represents a published folder: where it is and what it holds.
/// </summary>
/// <param name="Directory">The full path of <c>artifacts/&lt;experiment&gt;</c>.</param>
/// <param name="ManifestPath">The full path of <c>manifest.json</c>.</param>
/// <param name="LockPath">The full path of <c>sweep.lock.json</c>.</param>
/// <param name="ModelFiles">The model files, relative to <paramref name="Directory"/> with '/' separators, in ordinal order.</param>
/// <param name="GitCommit">The commit recorded, or <c>unknown</c>.</param>
public sealed record PublishedArtifacts(string Directory, string ManifestPath, string LockPath, ImmutableArray<string> ModelFiles, string GitCommit);
