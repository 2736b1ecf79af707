using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// Represents a search space: an ordered set of uniquely named parameters.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Built from the attributes by the source generator (as a
/// <see cref="SearchSpace{TParameters}"/>), or from parameters directly, for instance from a space file.
/// </remarks>
public class SearchSpace
{
    private readonly Dictionary<string, int> _indexes;
    private string? _fingerprint;

    /// <summary>Initializes a new instance of the <see cref="SearchSpace"/> class.</summary>
    /// <param name="parameters">The parameters, in order.</param>
    /// <exception cref="InvalidSearchSpaceException">Any parameter is invalid; the message lists every problem.</exception>
    public SearchSpace(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        _indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (Parameters.IsEmpty)
        {
            problems.Add("The search space has no parameters. Declare at least one.");
        }

        for (var i = 0; i < Parameters.Length; i++)
        {
            if (!_indexes.TryAdd(Parameters[i].Name, i))
            {
                problems.Add($"Parameter '{Parameters[i].Name}' is declared twice. Give each parameter its own name.");
            }

            problems.AddRange(Parameters[i].Validate());
        }

        if (problems.Count > 0)
        {
            throw new InvalidSearchSpaceException(problems);
        }
    }

    /// <summary>Gets the parameters, in order.</summary>
    public ImmutableArray<Parameter> Parameters { get; }

    /// <summary>Gets the number of parameters.</summary>
    public int Count => Parameters.Length;

    /// <summary>
    /// Gets a fingerprint of the space's definition: equal for equal declarations on any machine and locale, and
    /// different when a name, kind, bound, quantum or choice changes. Declaration order does not matter.
    /// </summary>
    /// <value>32 lower-case hex digits (the first 128 bits of a SHA-256 of the canonical definition).</value>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>Gets a value indicating whether every parameter is discrete, so the space can be enumerated as a grid.</summary>
    public bool IsDiscrete => Parameters.All(p => p.IsDiscrete);

    /// <summary>Gets the number of grid points, or <see langword="null"/> when the space is not discrete or the count overflows.</summary>
    public long? GridSize
    {
        get
        {
            long size = 1;
            foreach (var parameter in Parameters)
            {
                if (parameter.ValueCount is not { } count)
                {
                    return null;
                }

                try
                {
                    size = checked(size * count);
                }
                catch (OverflowException)
                {
                    return null;
                }
            }

            return size;
        }
    }

    /// <summary>Gets the named parameter.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The parameter.</returns>
    /// <exception cref="KeyNotFoundException">No such parameter; the message suggests the closest name.</exception>
    public Parameter this[string name] => Parameters[IndexOfRequired(name)];

    /// <summary>Gets the position of the named parameter.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>Its position, or -1 when the space has no such parameter.</returns>
    public int IndexOf(string name) => _indexes.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Draws a configuration with every parameter from its own distribution.</summary>
    /// <param name="random">The random source.</param>
    /// <returns>The configuration.</returns>
    public Configuration Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var values = new object[Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Parameters[i].FromUnit(random.NextDouble());
        }

        return new Configuration(this, values);
    }

    /// <summary>Maps a point of the unit hypercube to a configuration.</summary>
    /// <param name="point">One coordinate in [0, 1] per parameter.</param>
    /// <returns>The configuration.</returns>
    public Configuration FromUnit(ReadOnlySpan<double> point)
    {
        if (point.Length != Count)
        {
            throw new ArgumentException($"The point has {point.Length} coordinates but the space has {Count} parameters.", nameof(point));
        }

        var values = new object[Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Parameters[i].FromUnit(point[i]);
        }

        return new Configuration(this, values);
    }

    /// <summary>Maps a configuration into the unit hypercube.</summary>
    /// <param name="configuration">A configuration of this space.</param>
    /// <param name="destination">Receives one coordinate per parameter.</param>
    public void ToUnit(Configuration configuration, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (destination.Length != Count || configuration.Count != Count)
        {
            throw new ArgumentException($"Expected {Count} coordinates.", nameof(destination));
        }

        for (var i = 0; i < Count; i++)
        {
            destination[i] = Parameters[i].ToUnit(configuration[i]);
        }
    }

    /// <summary>Enumerates every configuration of a discrete space, the last parameter varying fastest.</summary>
    /// <returns>The configurations.</returns>
    /// <exception cref="InvalidOperationException">A parameter is continuous; the message names it.</exception>
    public IEnumerable<Configuration> EnumerateGrid()
    {
        var continuous = Parameters.Where(p => !p.IsDiscrete).Select(p => $"'{p.Name}' ({p.Describe()})").ToList();
        if (continuous.Count > 0)
        {
            throw new InvalidOperationException(
                $"A grid needs every parameter to be discrete, but {string.Join(", ", continuous)} {(continuous.Count == 1 ? "is" : "are")} continuous. Use QUniform, IntRange or Choice, or another sampler.");
        }

        return Enumerate();

        IEnumerable<Configuration> Enumerate()
        {
            var axes = Parameters.Select(p => p.EnumerateValues().ToArray()).ToArray();
            var digits = new int[axes.Length];
            while (true)
            {
                var values = new object[axes.Length];
                for (var i = 0; i < axes.Length; i++)
                {
                    values[i] = axes[i][digits[i]];
                }

                yield return new Configuration(this, values);
                var position = axes.Length - 1;
                while (position >= 0 && ++digits[position] == axes[position].Length)
                {
                    digits[position] = 0;
                    position--;
                }

                if (position < 0)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// Builds a configuration from parameter names and values, such as a stored trial's parameters or a user's
    /// override. Choices are matched by value (an enum member also by its name).
    /// </summary>
    /// <param name="values">One entry per parameter.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidConfigurationException">An entry is missing, unknown or out of range; the message lists every one, naming the parameter.</exception>
    public Configuration FromDictionary(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var problems = new List<string>();
        foreach (var key in values.Keys.Where(k => IndexOf(k) < 0).Order(StringComparer.Ordinal))
        {
            var suggestion = NameSuggester.Suggest(key, Parameters.Select(p => p.Name));
            problems.Add(suggestion is null
                ? $"'{key}' is not a parameter of this search space. Remove it; the parameters are {string.Join(", ", Parameters.Select(p => p.Name))}."
                : $"'{key}' is not a parameter of this search space. Did you mean '{suggestion}'?");
        }

        var normalized = new object[Count];
        for (var i = 0; i < Count; i++)
        {
            var parameter = Parameters[i];
            if (!values.TryGetValue(parameter.Name, out var value))
            {
                problems.Add($"Parameter '{parameter.Name}' is missing. Give it a value ({parameter.Describe()}).");
                continue;
            }

            if (parameter.TryNormalize(value, out var result, out var error))
            {
                normalized[i] = result;
            }
            else
            {
                problems.Add(error);
            }
        }

        return problems.Count > 0 ? throw new InvalidConfigurationException(problems) : new Configuration(this, normalized);
    }

    /// <summary>Builds a configuration from values in parameter order, checking each.</summary>
    /// <param name="values">One value per parameter, in order.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidConfigurationException">A value is out of range; the message lists every one, naming the parameter.</exception>
    public Configuration CreateConfiguration(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Count)
        {
            throw new ArgumentException($"Expected {Count} values, one per parameter, but got {values.Count}.", nameof(values));
        }

        var problems = new List<string>();
        var normalized = new object[Count];
        for (var i = 0; i < Count; i++)
        {
            if (Parameters[i].TryNormalize(values[i], out var result, out var error))
            {
                normalized[i] = result;
            }
            else
            {
                problems.Add(error);
            }
        }

        return problems.Count > 0 ? throw new InvalidConfigurationException(problems) : new Configuration(this, normalized);
    }

    /// <summary>Describes the space, one parameter per line.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Join(Environment.NewLine, Parameters);

    /// <summary>Gets the default configuration of a typed space, or <see langword="null"/> for a space without defaults.</summary>
    /// <returns>The default configuration.</returns>
    internal virtual Configuration? GetDefaultConfiguration() => null;

    internal int IndexOfRequired(string name)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            return index;
        }

        var suggestion = NameSuggester.Suggest(name, Parameters.Select(p => p.Name));
        throw new KeyNotFoundException(suggestion is null
            ? $"'{name}' is not a parameter of this search space."
            : $"'{name}' is not a parameter of this search space. Did you mean '{suggestion}'?");
    }

    private string ComputeFingerprint()
    {
        var canonical = new StringBuilder("tune-space-v1\n");
        foreach (var parameter in Parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            parameter.AppendCanonical(canonical);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
