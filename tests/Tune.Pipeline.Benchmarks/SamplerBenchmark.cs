using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.Cli.AskTell;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Benchmarks;

/// <summary>
/// Runs every sampler on the problems of PROBLEMS.md (seeds 0..9, 100 trials) through the ask-tell session,
/// sequentially and with 4, 8 and 16 trials in flight, and prints median and quartile regret at 25, 50 and 100 trials
/// and CPU milliseconds per suggestion, beside Optuna 3.1's sequential medians; then the cost of one suggestion with
/// 100 and 1,000 trials of history.
/// </summary>
/// <remarks>
/// Options: <c>--problems a,b</c>, <c>--samplers a,b</c>, <c>--seeds N</c> (seeds 0..N-1) or <c>--seeds 3-5</c>,
/// <c>--trials N</c>, <c>--in-flight 1,4,8,16</c> (asks outstanding; 1 is sequential), <c>--no-cost</c>, <c>--cost-only</c>. A sampler may carry options, as in
/// <c>gp:Candidates=256/LocalStarts=2</c> or <c>tpe:Multivariate=false</c>.
/// </remarks>
internal static class SamplerBenchmark
{
    private static readonly int[] Checkpoints = [25, 50, 100];

    // Optuna 3.1.0 median regret from PROBLEMS.md: problem -> sampler -> (25, 50, 100).
    private static readonly Dictionary<string, Dictionary<string, double[]>> Optuna = new()
    {
        ["branin"] = new() { ["tpe"] = [0.69, 0.181, 0.0163], ["tpe-mv"] = [0.339, 0.137, 0.0892], ["cmaes"] = [4.82, 1.13, 0.0133], ["random"] = [3.17, 0.884, 0.198] },
        ["hartmann6"] = new() { ["tpe"] = [1.64, 0.575, 0.277], ["tpe-mv"] = [0.573, 0.323, 0.18], ["cmaes"] = [1.65, 0.922, 0.245], ["random"] = [2.17, 1.74, 1.29] },
        ["rosenbrock4"] = new() { ["tpe"] = [1.23e3, 261, 54], ["tpe-mv"] = [588, 221, 55.9], ["cmaes"] = [311, 123, 38], ["random"] = [7.22e3, 2.8e3, 1.12e3] },
        ["log-bowl"] = new() { ["tpe"] = [0.0175, 0.00441, 0.00171], ["tpe-mv"] = [0.0234, 0.0161, 0.00542], ["cmaes"] = [0.0342, 0.0051, 0.000155], ["random"] = [0.0916, 0.0818, 0.0701] },
        ["tabular-mixed"] = new() { ["tpe"] = [0.291, 0.0871, 0.028], ["tpe-mv"] = [0.21, 0.0824, 0.00557], ["cmaes"] = [0.0647, 0.0396, 0.0232], ["random"] = [0.321, 0.295, 0.212] },
    };

    public static Task<int> RunAsync(string[] args)
    {
        var problems = BenchmarkProblems.All.Select(p => p.Name).ToList();
        var samplers = new List<string> { "random", "tpe", "gp", "auto" };
        var seeds = Enumerable.Range(0, 10).ToList();
        var trials = 100;
        var inFlight = new List<int> { 1, 4, 8, 16 };
        var cost = true;
        var quality = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--problems":
                    problems = [.. args[++i].Split(',')];
                    break;
                case "--samplers":
                    samplers = [.. args[++i].Split(',')];
                    break;
                case "--seeds":
                    var text = args[++i];
                    seeds = text.Contains('-', StringComparison.Ordinal)
                        ? [.. Enumerable.Range(int.Parse(text.Split('-')[0], CultureInfo.InvariantCulture), int.Parse(text.Split('-')[1], CultureInfo.InvariantCulture) - int.Parse(text.Split('-')[0], CultureInfo.InvariantCulture) + 1)]
                        : [.. Enumerable.Range(0, int.Parse(text, CultureInfo.InvariantCulture))];
                    break;
                case "--trials":
                    trials = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--in-flight":
                    inFlight = [.. args[++i].Split(',').Select(q => int.Parse(q, CultureInfo.InvariantCulture))];
                    break;
                case "--no-cost":
                    cost = false;
                    break;
                case "--cost-only":
                    quality = false;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'. Use --problems, --samplers, --seeds, --trials, --in-flight, --no-cost or --cost-only.");
                    return Task.FromResult(2);
            }
        }

        if (quality)
        {
            RunQuality(problems, samplers, seeds, trials, inFlight);
        }

        if (cost)
        {
            RunCost(samplers);
        }

        return Task.FromResult(0);
    }

    private static void RunQuality(List<string> problemNames, List<string> samplerNames, List<int> seeds, int trials, List<int> inFlight)
    {
        Console.WriteLine($"Median regret [quartiles] over seeds {seeds.Min()}..{seeds.Max()}, {trials} trials, driven through the ask-tell session:");
        Console.WriteLine("q trials in flight means q asks ahead, told in the order asked, so trial n sees trials 0..n-q (q = 1 is sequential).");
        Console.WriteLine("CPU ms per suggestion: the sweep's CPU time (sampler, protocol and objective) divided by its trials.");
        Console.WriteLine();
        var summary = new List<string>();
        foreach (var problem in BenchmarkProblems.All.Where(p => problemNames.Contains(p.Name)))
        {
            Console.WriteLine($"### {problem.Name}");
            Console.WriteLine();
            Console.WriteLine("| sampler | in flight | after 25 | after 50 | after 100 | CPU ms/suggestion |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            var best = Optuna[problem.Name].Where(p => p.Key != "random").Min(p => p.Value[2]);
            foreach (var samplerName in samplerNames)
            {
                var finals = new List<string>();
                foreach (var q in inFlight)
                {
                    var sampler = CreateSampler(samplerName);
                    var regrets = Checkpoints.Select(_ => new List<double>()).ToArray();
                    var cpu = new List<double>();
                    foreach (var seed in seeds)
                    {
                        var (curve, seconds) = RunSweep(problem, sampler, seed, trials, q);
                        cpu.Add(seconds * 1000.0 / trials);
                        for (var c = 0; c < Checkpoints.Length; c++)
                        {
                            if (Checkpoints[c] <= curve.Length)
                            {
                                regrets[c].Add(curve[Checkpoints[c] - 1]);
                            }
                        }
                    }

                    var cells = regrets.Select(r => r.Count == 0 ? "-" : $"{Format(Quantile(r, 0.5))} [{Format(Quantile(r, 0.25))}, {Format(Quantile(r, 0.75))}]");
                    Console.WriteLine($"| {samplerName} | {InFlightName(q)} | {string.Join(" | ", cells)} | {Quantile(cpu, 0.5):F2} |");
                    finals.Add(regrets[^1].Count == 0 ? "-" : Format(Quantile(regrets[^1], 0.5)));
                }

                summary.Add($"| {problem.Name} | {samplerName} | {string.Join(" | ", finals)} | {Format(best)} |");
            }

            foreach (var (name, values) in Optuna[problem.Name])
            {
                Console.WriteLine($"| optuna {name} | sequential | {string.Join(" | ", values.Select(Format))} | 5-10 (tpe) |");
            }

            Console.WriteLine();
            Console.WriteLine($"Targets: after 50 <= {Format(Optuna[problem.Name]["tpe"][1])} (optuna tpe), after 100 <= {Format(best)} (best optuna, sequential), at any q.");
            Console.WriteLine();
        }

        Console.WriteLine($"### Median regret after {Checkpoints[^1]} trials by trials in flight");
        Console.WriteLine();
        Console.WriteLine($"| problem | sampler | {string.Join(" | ", inFlight.Select(InFlightName))} | optuna best, sequential |");
        Console.WriteLine($"| --- | --- | {string.Join(" | ", inFlight.Select(_ => "---:"))} | ---: |");
        foreach (var line in summary)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine();
    }

    private static string InFlightName(int q) => q == 1 ? "sequential" : q.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs one sweep through the ask-tell session with <paramref name="inFlight"/> asks outstanding (asked ahead,
    /// told in the order asked, as parallel agents do), and returns the regret of the best trial after each trial
    /// and the CPU seconds used.
    /// </summary>
    internal static (double[] Regret, double CpuSeconds) RunSweep(BenchmarkProblem problem, ISampler sampler, int seed, int trials, int inFlight = 1)
    {
        var session = new AskTellSession(problem.Space, Goal.Minimize, sampler, seed);
        var asked = new Queue<(int Number, Configuration Configuration)>();
        var regret = new double[trials];
        var best = double.PositiveInfinity;
        var told = 0;
        var process = Process.GetCurrentProcess();
        var start = process.TotalProcessorTime;
        for (var n = 0; n < trials; n++)
        {
            asked.Enqueue(Ask(session, problem.Space));
            if (asked.Count < inFlight && n < trials - 1)
            {
                continue;
            }

            // The oldest outstanding trial finishes first; at the end every outstanding trial is told.
            while (asked.Count >= inFlight || (n == trials - 1 && asked.Count > 0))
            {
                var (number, configuration) = asked.Dequeue();
                var value = problem.Objective(configuration);
                var answer = session.Handle(string.Create(CultureInfo.InvariantCulture, $"{{\"op\":\"tell\",\"trial\":{number},\"value\":{value:R}}}"));
                if (answer != "{\"ok\":true}")
                {
                    throw new InvalidOperationException($"The session refused the tell of trial {number}: {answer}");
                }

                best = Math.Min(best, value);
                regret[told++] = best - problem.Optimum;
            }
        }

        process.Refresh();
        return (regret, (process.TotalProcessorTime - start).TotalSeconds);
    }

    private static (int Number, Configuration Configuration) Ask(AskTellSession session, SearchSpace space)
    {
        var answer = session.Handle("{\"op\":\"ask\"}");
        using var document = JsonDocument.Parse(answer);
        var root = document.RootElement;
        if (!root.TryGetProperty("trial", out var trial))
        {
            throw new InvalidOperationException($"The session refused an ask: {answer}");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in root.GetProperty("params").EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True or JsonValueKind.False => property.Value.GetBoolean(),
                _ => property.Value.TryGetInt64(out var integer) ? integer : property.Value.GetDouble(),
            };
        }

        return (trial.GetInt32(), space.FromDictionary(values));
    }

    private static void RunCost(List<string> samplerNames)
    {
        Console.WriteLine("### Cost per suggestion (ms, median of 20), history of random completed trials");
        Console.WriteLine();
        Console.WriteLine("Cold: the history's configurations are new objects, as after a restart. Warm: the same objects as the");
        Console.WriteLine("previous suggestion saw, as in a running sweep (encodings are cached per configuration object).");
        Console.WriteLine();
        Console.WriteLine("| sampler | problem | 100 trials cold | 100 trials warm | 1,000 trials cold | 1,000 trials warm |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var samplerName in samplerNames)
        {
            var sampler = CreateSampler(samplerName);
            foreach (var problem in BenchmarkProblems.All.Where(p => p.Name is "tabular-mixed" or "hartmann6"))
            {
                var cells = new List<string>();
                foreach (var size in new[] { 100, 1000 })
                {
                    var cold = new List<double>();
                    var warm = new List<double>();
                    // Warm-up: enough calls for the JIT to promote the hot methods to optimised code.
                    var warmUp = RandomHistory(problem, size);
                    for (var r = 0; r < 40; r++)
                    {
                        _ = sampler.Suggest(new SamplerContext(problem.Space, Goal.Minimize, size, r, warmUp, []));
                    }

                    for (var r = 0; r < 20; r++)
                    {
                        var history = RandomHistory(problem, size);
                        var context = new SamplerContext(problem.Space, Goal.Minimize, size, SeededRandom.Derive(7, r), history, []);
                        var stopwatch = Stopwatch.StartNew();
                        _ = sampler.Suggest(context);
                        cold.Add(stopwatch.Elapsed.TotalMilliseconds);
                        stopwatch.Restart();
                        _ = sampler.Suggest(context with { Seed = SeededRandom.Derive(8, r) });
                        warm.Add(stopwatch.Elapsed.TotalMilliseconds);
                    }

                    cells.Add(Quantile(cold, 0.5).ToString("F2", CultureInfo.InvariantCulture));
                    cells.Add(Quantile(warm, 0.5).ToString("F2", CultureInfo.InvariantCulture));
                }

                Console.WriteLine($"| {samplerName} | {problem.Name} | {string.Join(" | ", cells)} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Optuna TPE, measured on this kind of machine: 4 ms (100 trials), 14 ms (1,000 trials); target a tenth.");
    }

    // The same values every time (fixed seed), in new objects.
    private static List<Trial> RandomHistory(BenchmarkProblem problem, int size)
    {
        var random = new SeededRandom(size);
        var history = new List<Trial>(size);
        for (var n = 0; n < size; n++)
        {
            var configuration = problem.Space.Sample(random);
            history.Add(new Trial(n, configuration, TrialState.Completed, problem.Objective(configuration)));
        }

        return history;
    }

    // "name" from the catalog, or "gp:Candidates=256/LocalStarts=2" or "tpe:Multivariate=false" to try options.
    private static ISampler CreateSampler(string name)
    {
        var parts = name.Split(':', 2);
        if (parts.Length == 1)
        {
            return SamplerCatalog.Create(name);
        }

        object options = parts[0] switch
        {
            "gp" => new GpSamplerOptions(),
            "tpe" => new TpeSamplerOptions(),
            _ => throw new ArgumentException($"Only gp and tpe take options, not '{parts[0]}'.", nameof(name)),
        };
        foreach (var assignment in parts[1].Split('/'))
        {
            var (key, value) = (assignment.Split('=')[0], assignment.Split('=')[1]);
            var property = options.GetType().GetProperty(key) ?? throw new ArgumentException($"No option '{key}'.", nameof(name));
            property.SetValue(options, Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
        }

        return options is GpSamplerOptions gp ? SamplerCatalog.CreateGp(gp) : SamplerCatalog.CreateTpe((TpeSamplerOptions)options);
    }

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    private static string Format(double value) =>
        value == 0 ? "0" : Math.Abs(value) >= 1e4 || Math.Abs(value) < 1e-3 ? value.ToString("0.00e+0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);
}
