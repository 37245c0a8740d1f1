namespace Paygentic.Sdk.Metering;

/// <summary>
/// The entries of a read-only map, enumerated without boxing an enumerator when the map is a
/// <see cref="Dictionary{TKey, TValue}"/> (what the guard builds and what callers almost always pass). A <c>foreach</c>
/// over the interface boxes one enumerator per loop, and the hot path of a guarded operation loops over its quantities
/// several times.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal readonly struct MapEntries<TValue>(IReadOnlyDictionary<string, TValue> map)
{
    public Enumerator GetEnumerator() => new(map);

    /// <summary>Either a dictionary's own struct enumerator or, for any other map, the interface's.</summary>
    internal struct Enumerator : IDisposable
    {
        private readonly IEnumerator<KeyValuePair<string, TValue>>? _other;
        private Dictionary<string, TValue>.Enumerator _dictionary;

        public Enumerator(IReadOnlyDictionary<string, TValue> map)
        {
            if (map is Dictionary<string, TValue> dictionary)
            {
                _dictionary = dictionary.GetEnumerator();
            }
            else
            {
                _other = map.GetEnumerator();
            }
        }

        public readonly KeyValuePair<string, TValue> Current => _other is null ? _dictionary.Current : _other.Current;

        public bool MoveNext() => _other?.MoveNext() ?? _dictionary.MoveNext();

        public readonly void Dispose() => _other?.Dispose();
    }
}
