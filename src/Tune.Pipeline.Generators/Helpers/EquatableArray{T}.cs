using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Tune.Pipeline.Generators.Helpers;

/// <summary>
/// Represents an immutable array compared by its elements, so that generator models holding it are equatable and
/// the incremental pipeline can cache them.
/// </summary>
/// <typeparam name="T">The element type; it must itself compare by value.</typeparam>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly T[]? _items;

    /// <summary>Initializes a new instance of the <see cref="EquatableArray{T}"/> struct.</summary>
    /// <param name="items">The elements; the array is copied.</param>
    public EquatableArray(IEnumerable<T> items)
    {
        _items = [.. items];
    }

    /// <summary>Gets the number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>Gets the element at <paramref name="index"/>.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The element.</returns>
    public T this[int index] => (_items ?? [])[index];

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other)
    {
        var left = _items ?? [];
        var right = other._items ?? [];
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in _items ?? [])
        {
            hash = unchecked((hash * 31) + (item is null ? 0 : item.GetHashCode()));
        }

        return hash;
    }

    /// <summary>Returns the elements as an immutable array.</summary>
    /// <returns>The elements.</returns>
    public ImmutableArray<T> AsImmutableArray() => _items is null ? [] : ImmutableArray.Create(_items);

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
