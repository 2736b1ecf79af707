using Tune.Pipeline.Generators.Helpers;

namespace Tune.Pipeline.Generators.Model;

/// <summary>
/// Represents everything the emitter needs to write one experiment's search space.
/// </summary>
/// <remarks>
/// Must stay equatable (strings, numbers, enums and <see cref="EquatableArray{T}"/> only) so that the incremental
/// pipeline can cache it; never hold a symbol, syntax node, location or compilation.
/// </remarks>
/// <param name="Namespace">The experiment's namespace, or empty for the global namespace.</param>
/// <param name="HintName">The generated file's hint name.</param>
/// <param name="SpaceName">The generated class's name, <c>{Experiment}SearchSpace</c>.</param>
/// <param name="Accessibility">The generated class's accessibility: <c>public</c> or <c>internal</c>.</param>
/// <param name="ExperimentName">The experiment's name: the attribute's, or the class name in kebab case.</param>
/// <param name="ObjectiveMetric">The objective's metric.</param>
/// <param name="ObjectiveGoal">The objective's goal, as C# (<c>global::Tune.Pipeline.Goal.Maximize</c>).</param>
/// <param name="ParametersTypeName">The parameters type's fully qualified name.</param>
/// <param name="ParametersNamespace">The parameters type's namespace, or empty for the global namespace.</param>
/// <param name="ParametersDeclarations">The parameters type and its containing types, outermost first.</param>
/// <param name="Parameters">The parameters, in property declaration order; empty for a stub.</param>
/// <param name="IsStub">
/// Whether an error (reported by the analyzers) stops generation: the emitter then writes the space's class with its
/// members throwing, so that the TUNE error is not buried under errors about a missing class.
/// </param>
internal sealed record ExperimentModel(
    string Namespace,
    string HintName,
    string SpaceName,
    string Accessibility,
    string ExperimentName,
    string ObjectiveMetric,
    string ObjectiveGoal,
    string ParametersTypeName,
    string ParametersNamespace,
    EquatableArray<TypeDeclarationModel> ParametersDeclarations,
    EquatableArray<ParameterModel> Parameters,
    bool IsStub = false);
