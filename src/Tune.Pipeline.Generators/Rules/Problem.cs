using Microsoft.CodeAnalysis;

namespace Tune.Pipeline.Generators.Rules;

/// <summary>
/// Represents a mistake found in a declaration, before it becomes a <see cref="Diagnostic"/>. The analyzers report it;
/// the generator only checks whether any is an error, and then skips the experiment.
/// </summary>
/// <param name="Descriptor">The rule.</param>
/// <param name="Location">Where to report it.</param>
/// <param name="Arguments">The message's arguments.</param>
internal sealed record Problem(DiagnosticDescriptor Descriptor, Location? Location, params object?[] Arguments)
{
    /// <summary>Gets a value indicating whether the problem prevents code generation.</summary>
    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    /// <summary>Creates the diagnostic.</summary>
    /// <returns>The diagnostic.</returns>
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location, Arguments);
}
