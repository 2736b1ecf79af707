using System.Globalization;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Reads the earlier trials a sweep's <c>--warm-start</c> names (HyperDrive's <c>resume_from</c>): a sweep in the store by
/// name, or a lock file; keeps those that fit the sweep's space and names the rest.
/// </summary>
internal static class WarmStartSources
{
    /// <summary>The most sources one sweep warm-starts from, as HyperDrive allows five parents.</summary>
    public const int MaxSources = 5;

    /// <summary>Reads every source and writes one line per source saying what was kept and which trials were skipped.</summary>
    /// <param name="sources">Sweep names or lock-file paths.</param>
    /// <param name="store">The sweep's store, where names are looked up.</param>
    /// <param name="declared">The experiment's declared space: a narrowed sweep's values lie in it, so it reads every source.</param>
    /// <param name="sweepSpace">The space of the sweep being started (narrowed or re-scaled by a sweep file).</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The finished trials that fit <paramref name="sweepSpace"/>, for <see cref="SweepBuilder.WarmStart"/>.</returns>
    /// <exception cref="UsageException">Too many sources, a lock file that cannot be read, or a name the store does not hold.</exception>
    public static async Task<List<Trial>> LoadAsync(
        IReadOnlyList<string> sources, SqlSweepStore store, SearchSpace declared, SearchSpace sweepSpace, TextWriter output, CancellationToken cancellationToken)
    {
        if (sources.Count > MaxSources)
        {
            throw new UsageException($"--warm-start is given {sources.Count} times; a sweep warm-starts from at most {MaxSources} earlier sweeps.");
        }

        var kept = new List<Trial>();
        foreach (var source in sources)
        {
            var (label, candidates, skipped) = await ReadAsync(source, store, declared, cancellationToken).ConfigureAwait(false);
            var fitting = 0;
            foreach (var trial in candidates.Where(t => t.IsFinished))
            {
                if (Fits(trial, sweepSpace) is { } problem)
                {
                    skipped.Add($"trial {trial.Number.ToString(CultureInfo.InvariantCulture)} ({problem})");
                    continue;
                }

                kept.Add(trial);
                fitting++;
            }

            var total = fitting + skipped.Count;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Warm start from {label}: {fitting} of {total} finished trials fit the space{(skipped.Count > 0 ? $"; skipped {string.Join("; ", skipped)}" : string.Empty)}.")).ConfigureAwait(false);
        }

        return kept;
    }

    private static async Task<(string Label, IReadOnlyList<Trial> Trials, List<string> Skipped)> ReadAsync(
        string source, SqlSweepStore store, SearchSpace declared, CancellationToken cancellationToken)
    {
        if (File.Exists(source) || source.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            SweepLock locked;
            try
            {
                locked = await SweepLock.ReadAsync(source, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
            {
                throw new UsageException(e is InvalidDataException ? $"--warm-start: {e.Message}" : $"--warm-start: lock file '{Shown.Line(source)}' does not exist.");
            }

            var skipped = new List<string>();
            var trials = new List<Trial>();
            foreach (var trial in locked.Trials)
            {
                try
                {
                    trials.Add(new Trial(trial.Number, declared.FromDictionary(trial.Configuration), trial.State, trial.Value) { Seed = trial.Seed });
                }
                catch (InvalidConfigurationException e)
                {
                    skipped.Add($"trial {trial.Number.ToString(CultureInfo.InvariantCulture)} ({e.Message})");
                }
            }

            return ($"lock file {source}", trials, skipped);
        }

        if (await store.GetSweepStatusAsync(source, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new UsageException($"--warm-start {Shown.Value(source)} is neither a lock file nor a sweep in {store.DisplayName}: pass a sweep's name or a path to its sweep.lock.json.");
        }

        return ($"sweep '{source}'", await store.GetTrialsAsync(source, declared, cancellationToken).ConfigureAwait(false), []);
    }

    // What SweepBuilder.WarmStart keeps: every parameter of the new space, by name, with a value the new space allows.
    private static string? Fits(Trial trial, SearchSpace space)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var parameter in space.Parameters)
        {
            if (trial.Configuration.TryGetValue(parameter.Name, out var value))
            {
                values[parameter.Name] = value;
            }
        }

        try
        {
            _ = space.FromDictionary(values);
            return null;
        }
        catch (InvalidConfigurationException e)
        {
            return e.Message;
        }
    }
}
