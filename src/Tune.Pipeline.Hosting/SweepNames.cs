namespace Tune.Pipeline.Hosting;

/// <summary>The rule for a sweep's name on the command line: every verb checks <c>--sweep</c> here.</summary>
internal static class SweepNames
{
    /// <summary>The longest name: it appears in progress lines, MLflow run names and file names.</summary>
    public const int MaxLength = 100;

    /// <summary>Gets the problem with a sweep's name, or <see langword="null"/> when it is usable.</summary>
    /// <param name="name">The name.</param>
    /// <returns>One sentence naming the fix, or <see langword="null"/>.</returns>
    public static string? Problem(string name) => name switch
    {
        _ when string.IsNullOrWhiteSpace(name) => "--sweep is empty; give the sweep a name such as bc-1, or leave --sweep out for the experiment's name.",
        { Length: > MaxLength } => $"--sweep is {name.Length} characters long; a sweep's name may have at most {MaxLength}.",
        _ when name.Any(char.IsControl) => $"--sweep {Shown.Value(name)} holds a control character; use letters, digits and - _ . / only.",
        _ => null,
    };

    /// <summary>Returns the name when it is usable.</summary>
    /// <param name="name">The name.</param>
    /// <returns><paramref name="name"/>.</returns>
    /// <exception cref="UsageException">The name is empty, too long, or holds a control character.</exception>
    public static string Check(string name) => Problem(name) is { } problem ? throw new UsageException(problem) : name;
}
