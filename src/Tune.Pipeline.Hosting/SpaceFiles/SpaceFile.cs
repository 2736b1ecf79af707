using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Hosting.SpaceFiles;

/// <summary>
/// Represents a search-space file: the goal and the parameters.
/// </summary>
/// <param name="Goal">Whether the objective is minimised or maximised.</param>
/// <param name="Space">The search space.</param>
internal sealed record SpaceFile(Goal Goal, SearchSpace Space);
