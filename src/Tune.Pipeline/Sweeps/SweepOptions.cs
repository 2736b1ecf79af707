using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents a sweep's goal, seed and budget, given to <see cref="SweepBuilder.Configure"/>.
/// </summary>
/// <remarks>
/// The sweep ends at the first budget reached: <see cref="MaxTrials"/>, <see cref="MaxDuration"/>,
/// <see cref="MaxTrialsWithoutImprovement"/> or <see cref="TargetValue"/>, or when the sampler has nothing left.
/// Validated once, by <see cref="SweepBuilder.Build"/>, through <see cref="Validate"/>.
/// </remarks>
public sealed class SweepOptions
{
    /// <summary>The most trials that may run at once.</summary>
    public const int MaxConcurrentTrialsLimit = 4096;

    /// <summary>The most retries of one trial.</summary>
    public const int MaxRetriesLimit = 100;

    /// <summary>Gets the longest <see cref="MaxDuration"/> and <see cref="TrialTimeout"/>.</summary>
    /// <value>49 days: the sweep's deadline and a trial's timeout are timers, which take at most 2^32 − 2 milliseconds (49.7 days).</value>
    public static TimeSpan DurationLimit { get; } = TimeSpan.FromDays(49);

    /// <summary>Gets or sets whether the objective is maximized or minimized.</summary>
    /// <value>Defaults to <see cref="Goal.Minimize"/>.</value>
    public Goal Goal { get; set; } = Goal.Minimize;

    /// <summary>Gets or sets the sweep's seed: with the same seed, a sweep proposes the same configurations.</summary>
    /// <value>Defaults to 0.</value>
    /// <remarks>Trial n's own seed is <c>SeededRandom.Derive(Seed, n)</c>.</remarks>
    public long Seed { get; set; }

    /// <summary>Gets or sets the most trials the sweep creates, whatever their outcome.</summary>
    /// <value>Defaults to 100.</value>
    [Range(1, int.MaxValue)]
    public int MaxTrials { get; set; } = 100;

    /// <summary>Gets or sets the most trials running at once.</summary>
    /// <value>Defaults to 1.</value>
    /// <remarks>Trial n is proposed only once trials 0..n − <see cref="MaxConcurrentTrials"/> have finished (see docs/reproducibility.md).</remarks>
    [Range(1, MaxConcurrentTrialsLimit)]
    public int MaxConcurrentTrials { get; set; } = 1;

    /// <summary>Gets or sets how long the sweep may run; trials still running then are stopped and marked failed.</summary>
    /// <value>Defaults to <see langword="null"/>: no limit.</value>
    /// <remarks>At most <see cref="DurationLimit"/>.</remarks>
    public TimeSpan? MaxDuration { get; set; }

    /// <summary>Gets or sets how long one attempt of a trial may run before it is cancelled and marked failed.</summary>
    /// <value>Defaults to <see langword="null"/>: no limit.</value>
    /// <remarks>At most <see cref="DurationLimit"/>.</remarks>
    public TimeSpan? TrialTimeout { get; set; }

    /// <summary>Gets or sets how many trials may finish after the best one without improving on it before the sweep stops proposing.</summary>
    /// <value>Defaults to <see langword="null"/>: no limit.</value>
    public int? MaxTrialsWithoutImprovement { get; set; }

    /// <summary>Gets or sets an objective value that ends the sweep once a completed trial reaches it (or does better).</summary>
    /// <value>Defaults to <see langword="null"/>: no target.</value>
    public double? TargetValue { get; set; }

    /// <summary>Gets or sets how many times a failed trial is run again, with the same configuration and seed, before it is recorded as failed.</summary>
    /// <value>Defaults to 0.</value>
    [Range(0, MaxRetriesLimit)]
    public int MaxRetries { get; set; }

    /// <summary>Gets or sets the number of threads each trial may use.</summary>
    /// <value>Defaults to <see langword="null"/>: the processor count divided by <see cref="MaxConcurrentTrials"/>, at least 1.</value>
    public int? ThreadsPerTrial { get; set; }

    /// <summary>Gets or sets the directory under which each trial gets <c>trials/{number}</c> for its artifacts. Core never creates it.</summary>
    /// <value>Defaults to <c>artifacts/{sweep name}</c>.</value>
    public string? ArtifactsDirectory { get; set; }

    /// <summary>Gets or sets whether opening the sweep creates it, resumes it, or does whichever applies.</summary>
    /// <value>Defaults to <see cref="SweepOpenMode.CreateOrResume"/>.</value>
    /// <remarks>
    /// The store decides in the same write that creates the sweep, so of two controllers that open one name with
    /// <see cref="SweepOpenMode.Create"/> at once, one runs it and the other gets <see cref="SweepConflictException"/>.
    /// </remarks>
    public SweepOpenMode OpenMode { get; set; } = SweepOpenMode.CreateOrResume;

    /// <summary>Gets or sets a document (JSON, by convention) the store records with the sweep when it creates it, such as the command line's settings.</summary>
    /// <value>Defaults to <see langword="null"/>: nothing recorded.</value>
    /// <remarks>
    /// Core never reads it. It is written once, when the sweep is created, and never changed by a resume, so that a
    /// resume can restore the settings the sweep was started with (a store reads it back as <c>SweepStatus.Settings</c>).
    /// </remarks>
    public string? Settings { get; set; }

    internal SweepOptions Clone() => (SweepOptions)MemberwiseClone();

    /// <summary>
    /// Checks every option and returns every problem, one sentence each naming the option and its value; the same rules
    /// <see cref="SweepBuilder.Build"/> applies, so that a sweep file or command line mapped onto these options can
    /// report its mistakes before a sweep is built.
    /// </summary>
    /// <returns>The problems, each naming its property in <see cref="ValidationResult.MemberNames"/>; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationResult> Validate()
    {
        var problems = new List<ValidationResult>();
        void Add(string member, string message) => problems.Add(new ValidationResult(message, [member]));

        if (!Enum.IsDefined(Goal))
        {
            Add(nameof(Goal), $"Goal is {(int)Goal}; use Goal.Minimize or Goal.Maximize.");
        }

        if (!Enum.IsDefined(OpenMode))
        {
            Add(nameof(OpenMode), $"OpenMode is {(int)OpenMode}; use SweepOpenMode.CreateOrResume, Create or Resume.");
        }

        if (MaxTrials < 1)
        {
            Add(nameof(MaxTrials), $"MaxTrials is {MaxTrials}; it must be at least 1.");
        }

        if (MaxConcurrentTrials is < 1 or > MaxConcurrentTrialsLimit)
        {
            Add(nameof(MaxConcurrentTrials), $"MaxConcurrentTrials is {MaxConcurrentTrials}; it must be between 1 and {MaxConcurrentTrialsLimit}.");
        }

        CheckDuration(nameof(MaxDuration), MaxDuration);
        CheckDuration(nameof(TrialTimeout), TrialTimeout);

        if (MaxTrialsWithoutImprovement is < 1)
        {
            Add(nameof(MaxTrialsWithoutImprovement), $"MaxTrialsWithoutImprovement is {MaxTrialsWithoutImprovement}; it must be at least 1, or null for no limit.");
        }

        if (TargetValue is { } target && !double.IsFinite(target))
        {
            Add(nameof(TargetValue), $"TargetValue is {target}; it must be a finite number, or null for no target.");
        }

        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            Add(nameof(MaxRetries), $"MaxRetries is {MaxRetries}; it must be between 0 and {MaxRetriesLimit}.");
        }

        if (ThreadsPerTrial is < 1)
        {
            Add(nameof(ThreadsPerTrial), $"ThreadsPerTrial is {ThreadsPerTrial}; it must be at least 1, or null for the processor count divided by MaxConcurrentTrials.");
        }

        return problems;

        void CheckDuration(string member, TimeSpan? value)
        {
            if (value is { } duration && (duration <= TimeSpan.Zero || duration > DurationLimit))
            {
                Add(member, $"{member} is {duration}; it must be positive and at most {DurationLimit.TotalDays:0} days, or null for no limit.");
            }
        }
    }

    /// <summary>Gets the threads each trial may use when <see cref="ThreadsPerTrial"/> is not set.</summary>
    /// <param name="trialsAtOnce">How many trials run at once on this machine: <see cref="MaxConcurrentTrials"/> in process, or the number of local agents.</param>
    /// <returns>The processor count divided by <paramref name="trialsAtOnce"/>, at least 1.</returns>
    public static int DefaultThreadsPerTrial(int trialsAtOnce) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, trialsAtOnce));
}
