using System.Collections.Immutable;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Builds a <see cref="Sweep"/>: its sampler, early-stopping policy, budget, seed, store and clock, enqueued
/// configurations and warm-start trials. Validated once, by <see cref="Build"/>, which lists every problem.
/// </summary>
/// <example>
/// <code>
/// var sweep = new SweepBuilder("resnet-lr")
///     .UseSampler(new SobolSamplerOptions())
///     .UseEarlyStopping(new BanditPolicyOptions { SlackFactor = 0.1, EvaluationInterval = 1, DelayEvaluation = 5 })
///     .Configure(o =&gt; { o.Goal = Goal.Maximize; o.Seed = 42; o.MaxTrials = 50; o.MaxConcurrentTrials = 4; })
///     .EnqueueDefaults()
///     .Build(ResNetSearchSpace.Instance);
/// var result = await sweep.RunAsync(new ResNet(), cancellationToken);
/// </code>
/// </example>
public sealed class SweepBuilder
{
    private readonly string _name;
    private readonly SweepOptions _options = new();
    private readonly List<IReadOnlyDictionary<string, object?>> _enqueued = [];
    private readonly List<Trial> _warmStart = [];
    private ISampler? _sampler;
    private SamplerOptions? _samplerOptions;
    private IEarlyStoppingPolicy? _policy;
    private EarlyStoppingPolicyOptions? _policyOptions;
    private ISweepStore? _store;
    private TimeProvider _timeProvider = TimeProvider.System;
    private bool _enqueueDefaults;

    /// <summary>Initializes a new instance of the <see cref="SweepBuilder"/> class.</summary>
    /// <param name="name">The sweep's name: its identity in the store, the tracking server and the command line.</param>
    public SweepBuilder(string name)
    {
        _name = name;
    }

    /// <summary>Uses one of the library's samplers. The default is <see cref="AutoSamplerOptions"/>.</summary>
    /// <param name="options">The sampler's options.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder UseSampler(SamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _samplerOptions = options;
        _sampler = null;
        return this;
    }

    /// <summary>Uses a sampler of your own; it must be a pure function of its <see cref="SamplerContext"/>.</summary>
    /// <param name="sampler">The sampler.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder UseSampler(ISampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        _sampler = sampler;
        _samplerOptions = null;
        return this;
    }

    /// <summary>Uses one of the library's early-stopping policies. The default is none.</summary>
    /// <param name="options">The policy's options.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder UseEarlyStopping(EarlyStoppingPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _policyOptions = options;
        _policy = null;
        return this;
    }

    /// <summary>Uses an early-stopping policy of your own.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder UseEarlyStopping(IEarlyStoppingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _policyOptions = null;
        return this;
    }

    /// <summary>Sets the goal, seed and budget.</summary>
    /// <param name="configure">Changes the options; see <see cref="SweepOptions"/> for the defaults.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder Configure(Action<SweepOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Records the sweep in a store. The default is a new <see cref="InMemorySweepStore"/> for each run.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder UseStore(ISweepStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        return this;
    }

    /// <summary>Uses a clock for the sweep's duration, trial timeouts and timestamps. The default is <see cref="TimeProvider.System"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Evaluates a configuration before the sampler's proposals, in the order enqueued.</summary>
    /// <param name="values">One value per parameter, by name (choices as values, never indexes).</param>
    /// <returns>This builder.</returns>
    public SweepBuilder Enqueue(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _enqueued.Add(values);
        return this;
    }

    /// <summary>Evaluates the typed search space's default parameters as trial 0, before anything enqueued.</summary>
    /// <returns>This builder.</returns>
    public SweepBuilder EnqueueDefaults()
    {
        _enqueueDefaults = true;
        return this;
    }

    /// <summary>
    /// Gives the sampler the finished trials of an earlier sweep as history. Trials of a space with the same
    /// fingerprint are used as they are; from another space, a trial is used when every parameter of the new space is
    /// in it with a value valid in the new space (extra parameters are dropped), and skipped otherwise.
    /// </summary>
    /// <param name="priorTrials">The earlier sweep's trials; unfinished ones are ignored.</param>
    /// <returns>This builder.</returns>
    public SweepBuilder WarmStart(IEnumerable<Trial> priorTrials)
    {
        ArgumentNullException.ThrowIfNull(priorTrials);
        _warmStart.AddRange(priorTrials);
        return this;
    }

    /// <summary>Checks every option and builds the sweep.</summary>
    /// <param name="space">The search space.</param>
    /// <returns>The sweep: immutable and thread-safe.</returns>
    /// <exception cref="InvalidSweepException">An option is invalid; the message lists every problem.</exception>
    public Sweep Build(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(_name))
        {
            problems.Add("The sweep has no name. Give SweepBuilder a name such as \"resnet-lr\".");
        }

        var options = _options.Clone();
        problems.AddRange(options.Validate().Select(p => p.ErrorMessage!));
        var samplerOptions = _samplerOptions ?? (_sampler is null ? new AutoSamplerOptions() : null);
        if (samplerOptions is not null)
        {
            problems.AddRange(samplerOptions.Validate(space));
        }

        var policyOptions = _policyOptions ?? (_policy is null ? new NoEarlyStoppingPolicyOptions() : null);
        if (policyOptions is not null)
        {
            problems.AddRange(policyOptions.Validate());
        }

        var enqueued = ImmutableArray.CreateBuilder<Configuration>();
        if (_enqueueDefaults)
        {
            try
            {
                var defaults = space.GetDefaultConfiguration();
                if (defaults is null)
                {
                    problems.Add("EnqueueDefaults needs a typed search space (SearchSpace<TParameters>), which knows the defaults. Enqueue the values instead.");
                }
                else
                {
                    enqueued.Add(defaults);
                }
            }
            catch (InvalidConfigurationException exception)
            {
                problems.Add($"The default parameters do not fit the search space: {string.Join(" ", exception.Problems)}");
            }
        }

        for (var i = 0; i < _enqueued.Count; i++)
        {
            try
            {
                enqueued.Add(space.FromDictionary(_enqueued[i]));
            }
            catch (InvalidConfigurationException exception)
            {
                problems.Add($"Enqueued configuration {i}: {string.Join(" ", exception.Problems)}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidSweepException(_name ?? string.Empty, problems);
        }

        var (warmStart, skipped) = Rehome(_warmStart, space);
        var threads = options.ThreadsPerTrial ?? SweepOptions.DefaultThreadsPerTrial(options.MaxConcurrentTrials);
        return new Sweep(
            _name!,
            space,
            options,
            threads,
            options.ArtifactsDirectory ?? Path.Combine("artifacts", _name!),
            _sampler ?? samplerOptions!.CreateSampler(),
            _policy ?? policyOptions!.CreatePolicy(),
            _store,
            _timeProvider,
            enqueued.ToImmutable(),
            warmStart,
            skipped);
    }

    private static (ImmutableArray<Trial> Trials, int Skipped) Rehome(List<Trial> priorTrials, SearchSpace space)
    {
        var result = ImmutableArray.CreateBuilder<Trial>();
        var skipped = 0;
        foreach (var trial in priorTrials.Where(t => t.IsFinished))
        {
            if (ReferenceEquals(trial.Configuration.Space, space))
            {
                result.Add(trial);
                continue;
            }

            // Same fingerprint or not, values go by name: a fingerprint ignores declaration order.

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
                result.Add(trial with { Configuration = space.FromDictionary(values) });
            }
            catch (InvalidConfigurationException)
            {
                skipped++;
            }
        }

        return (result.ToImmutable(), skipped);
    }
}
