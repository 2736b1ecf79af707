using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Reporting;

/// <summary>Represents one parameter of a sweep as the report draws it.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Distribution">Its distribution as the search space describes it, such as <c>LogUniform(0.001, 0.3)</c>.</param>
/// <param name="Scale">How its axis is laid out.</param>
public sealed record ReportParameter(string Name, string Distribution, ReportScale Scale)
{
    /// <summary>Describes a search-space parameter for the report.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The description.</returns>
    public static ReportParameter From(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return new(parameter.Name, parameter.Describe(), ScaleOf(parameter.Kind, parameter.IsLog));
    }

    /// <summary>
    /// Describes a parameter from its recorded distribution alone (<see cref="Parameter.Describe"/>'s text, as a store
    /// keeps it), for a report written without the experiment's search space.
    /// </summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="distribution">The recorded distribution, such as <c>IntRange(8, 256, Log)</c>; empty when unknown.</param>
    /// <returns>The description; an unknown distribution is drawn on a linear axis.</returns>
    public static ReportParameter FromRecorded(string name, string distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var kindText = distribution.Split('(', 2)[0];
        if (!Enum.TryParse<ParameterKind>(kindText, out var kind))
        {
            return new(name, distribution, ReportScale.Linear);
        }

        return new(name, distribution, ScaleOf(kind, kind == ParameterKind.IntRange && distribution.EndsWith(", Log)", StringComparison.Ordinal)));
    }

    private static ReportScale ScaleOf(ParameterKind kind, bool isLog) => kind switch
    {
        ParameterKind.Choice => ReportScale.Category,
        ParameterKind.LogUniform or ParameterKind.LogNormal or ParameterKind.QLogUniform or ParameterKind.QLogNormal => ReportScale.Log,
        _ => isLog ? ReportScale.Log : ReportScale.Linear,
    };
}
