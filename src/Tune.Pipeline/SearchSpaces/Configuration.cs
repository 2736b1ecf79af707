using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// Represents one point of a search space: a value for every parameter, in the space's parameter order.
/// </summary>
/// <remarks>
/// Immutable and equatable by value (two configurations of spaces with the same fingerprint and equal values are
/// equal), so samplers, the controller and tests can compare them. Values are held as <see cref="double"/>,
/// <see cref="long"/> or the choice's own value, never as an index.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "'Configuration' is the vocabulary's word for a point of the space; it is a dictionary only for convenience.")]
public sealed class Configuration : IReadOnlyDictionary<string, object>, IEquatable<Configuration>
{
    private readonly object[] _values;

    internal Configuration(SearchSpace space, object[] values)
    {
        Space = space;
        _values = values;
    }

    /// <summary>Gets the search space this configuration belongs to.</summary>
    public SearchSpace Space { get; }

    /// <summary>Gets the number of parameters.</summary>
    public int Count => _values.Length;

    /// <summary>Gets the parameter names, in the space's order.</summary>
    public IEnumerable<string> Keys => Space.Parameters.Select(p => p.Name);

    /// <summary>Gets the values, in the space's order.</summary>
    public IEnumerable<object> Values => _values;

    /// <summary>Gets the value of the parameter at <paramref name="index"/>.</summary>
    /// <param name="index">The parameter's position in the space.</param>
    /// <returns>The value.</returns>
    public object this[int index] => _values[index];

    /// <summary>Gets the value of the named parameter.</summary>
    /// <param name="key">The parameter's name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The space has no such parameter.</exception>
    public object this[string key] => _values[Space.IndexOfRequired(key)];

    /// <summary>Gets a real-valued parameter's value.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string name) => Convert.ToDouble(this[name], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gets an integer parameter's value.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string name) => Convert.ToInt64(this[name], System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool ContainsKey(string key) => Space.IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        var index = Space.IndexOf(key);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    /// <summary>Copies the configuration's values into a new dictionary, parameter name to value.</summary>
    /// <returns>The dictionary.</returns>
    public Dictionary<string, object> ToDictionary()
    {
        var result = new Dictionary<string, object>(Count, StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            result[Space.Parameters[i].Name] = _values[i];
        }

        return result;
    }

    /// <summary>Maps the configuration into the unit hypercube.</summary>
    /// <returns>One coordinate in [0, 1] per parameter.</returns>
    public double[] ToUnit()
    {
        var point = new double[Count];
        Space.ToUnit(this, point);
        return point;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<string, object>(Space.Parameters[i].Name, _values[i]);
        }
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(Configuration? other)
    {
        if (other is null || other.Count != Count || !string.Equals(other.Space.Fingerprint, Space.Fingerprint, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!_values[i].Equals(other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Configuration);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>Describes the configuration as <c>name=value</c> pairs, culture-independently.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Join(", ", Space.Parameters.Select((p, i) => $"{p.Name}={FormatValue(_values[i])}"));

    private static string FormatValue(object value) => value is string s ? s : Parameter.Format(value);
}
